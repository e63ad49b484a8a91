// A botgate server for a benchmark: its own data folder, the bundled example catalog, set up
// through the CLI as an operator would (skills added to the API, a process secret, an API Task
// user and allocations), then started in its own process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childJson } from './child-json.mjs';
import { botgate, botgateBin, root, startServer } from './processes.mjs';

export const createBotgateEnv = (extra = {}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'botgate-bench-'));
  // Only our settings: botgate refuses BOTGATE_* variables it does not know (BOTGATE_TEST_POSTGRES).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BOTGATE_')));
  const env = {
    ...inherited,
    BOTGATE_DATA_DIR: dataDir,
    BOTGATE_CATALOG: join(root, 'examples'),
    BOTGATE_PORT: '0',
    BOTGATE_LOG_LEVEL: 'warn',
    ...extra,
  };
  return { dataDir, env, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
};

/** Exposes `automationId` through all three adapters; resolves with what a client needs to call it. */
export const exposeAutomation = async (env, automationId) => {
  const skill = await botgate(['local-api', 'add', automationId], env);
  const process = await botgate(['process-api', 'secret', automationId], env);
  return {
    triggerPath: `/api?uuid=${skill.uuid}`,
    uuid: skill.uuid,
    runsPath: `/workspace-v1/workspaces/${process.workspaceId}/processes/${process.processId}/runs`,
    secret: process.secret,
  };
};

/** Logs in as an admin, allocates the automations, and resolves with each one's execution URL and headers. */
export const allocateApiTasks = async (server, env, automationIds, concurrencyLimit) => {
  await botgate(['users', 'add', 'bench', '--role', 'admin', '--password', 'bench-password-1'], env);
  const call = async (method, path, body, token) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-authorization': token } : {}) },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const { token } = await call('POST', '/v1/authentication', { username: 'bench', password: 'bench-password-1' });
  const automations = await botgate(['automations', 'list'], env);
  const access = {};
  for (const id of automationIds) {
    const automation = automations.find((a) => a.id === id);
    await call(
      'PUT',
      '/orchestrator/v1/hotbot/config/create',
      { fileId: String(automation.fileId), concurrencyLimit },
      token,
    );
    const details = await call(
      'POST',
      '/orchestrator/v1/hotbot/config/accessdetails',
      { botRepositoryPath: [automation.repositoryPath] },
      token,
    );
    access[id] = details.accessDetails[automation.repositoryPath];
  }
  return access;
};

export const startBotgate = (env, nodeArgs = [], bin = botgateBin) =>
  startServer([...nodeArgs, bin, 'serve'], {
    ...env,
    BOTGATE_LOG_LEVEL: env.BOTGATE_LOG_LEVEL === 'warn' ? 'info' : env.BOTGATE_LOG_LEVEL,
  });

/**
 * An API node (`worker: false`) over a SQLite file seeded with `jobs` finished `echo` jobs, and
 * the status paths of a job from the middle of the table: EMILY's `jobPath`, Robocorp's
 * `runPath` (with its `runHeaders`). `stop()` stops it and removes its data. `bin`: another build's
 * `botgate.js` to serve the data (set up by this checkout's CLI and seeder, so of the same schema).
 */
export const startSeededStatusServer = async (jobs, nodeArgs = [], bin = botgateBin) => {
  const msBase = 1_700_000_000_000;
  const { env, dataDir, cleanup } = createBotgateEnv({ BOTGATE_WORKER: 'false' });
  try {
    const routes = await exposeAutomation(env, 'echo');
    await childJson(join(root, 'bench/workers/seed-jobs.mjs'), {
      filename: join(dataDir, 'botgate.sqlite'),
      jobs,
      state: 'finished',
      automationId: 'echo',
      uuid: routes.uuid,
      processId: routes.runsPath.split('/')[5],
      msBase,
    });
    const server = await startBotgate(env, nodeArgs, bin);
    const middle = Math.floor(jobs / 4) * 2;
    return {
      server,
      jobPath: `/api/job?uuid=${routes.uuid}&msUnixTime=${msBase + middle + 1}`,
      runPath: `${routes.runsPath}/00000000-0000-4000-8000-${String(middle).padStart(12, '0')}`,
      runHeaders: { 'robocloud-process-secret': routes.secret },
      stop: async () => {
        await server.stop();
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
};
