// `npm test`: lint and every test on SQLite; then, when BOTGATE_TEST_POSTGRES names a
// PostgreSQL server, every test again on PostgreSQL (each test file in a database of its own).
import { spawnSync } from 'node:child_process';

const turbo = (args, env) => {
  const result = spawnSync('npx', ['turbo', 'run', ...args, '--concurrency=1'], { stdio: 'inherit', env: { ...env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const { BOTGATE_TEST_DATABASE_URL: _ignored, ...sqliteEnv } = process.env;
console.log('\n== botgate tests on SQLite ==\n');
turbo(['lint', 'test'], sqliteEnv);

const postgres = process.env.BOTGATE_TEST_POSTGRES;
if (!postgres) {
  console.log('\nPostgreSQL pass skipped: set BOTGATE_TEST_POSTGRES to a server URL (eval "$(.ci/start-postgres)" starts one).');
} else {
  console.log(`\n== botgate tests on PostgreSQL (${new URL(postgres).host}) ==\n`);
  turbo(['test'], { ...sqliteEnv, BOTGATE_TEST_DATABASE_URL: postgres });
}
