// `npm test`: lint and every test on SQLite; then, when BOTGATE_TEST_POSTGRES names a
// PostgreSQL server, every test again on PostgreSQL (each test file in a database of its own).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The console's browser tests drive Debian's Chromium; as root on Debian it is installed here.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const installed =
    process.getuid?.() === 0 &&
    existsSync('/usr/bin/apt-get') &&
    spawnSync('.ci/install-browser', { stdio: 'inherit' }).status === 0;
  if (!installed) {
    console.error(
      `The console's browser tests need Chromium at ${chromium}: apt-get install chromium (or set CHROMIUM_PATH).`,
    );
    process.exit(1);
  }
}

// Lint is CPU only (tsc and eslint per package), so two packages lint at once. The packages'
// tests mostly wait (on fsyncs, child processes, a browser), one file at a time, so two packages
// test at once too; then the server's alone, since its files already run two at once.
const turbo = (args, env, concurrency = 1) => {
  const result = spawnSync('npx', ['turbo', 'run', ...args, `--concurrency=${concurrency}`], {
    stdio: 'inherit',
    env: { ...env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
const server = '@botgate/server';
const tests = (env) => {
  turbo(['test', `--filter=!${server}`], env, 2);
  turbo(['test', `--filter=${server}`], env);
};

// The formatter's check, as `npm run lint` runs it; each package's own lint runs under turbo.
if (spawnSync('npx', ['prettier', '--check', '--log-level=warn', '.'], { stdio: 'inherit' }).status !== 0) {
  console.error("Formatting differs from Prettier's: npm run format rewrites it.");
  process.exit(1);
}

const { BOTGATE_TEST_DATABASE_URL: _ignored, ...sqliteEnv } = process.env;
console.log('\n== botgate tests on SQLite ==\n');
turbo(['lint'], sqliteEnv, 2);
tests(sqliteEnv);

const postgres = process.env.BOTGATE_TEST_POSTGRES;
if (!postgres) {
  console.log(
    '\nPostgreSQL pass skipped: set BOTGATE_TEST_POSTGRES to a server URL (eval "$(.ci/start-postgres)" starts one).',
  );
} else {
  console.log(`\n== botgate tests on PostgreSQL (${new URL(postgres).host}) ==\n`);
  tests({ ...sqliteEnv, BOTGATE_TEST_DATABASE_URL: postgres });
}
