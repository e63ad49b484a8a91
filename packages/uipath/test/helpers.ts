import { createRequire } from 'node:module';
import { join } from 'node:path';
import { apiTask } from '@botgate/api-task';
import { startAdapter, type StartAdapterOptions, type StartedAdapter } from '@botgate/conformance';
import { useTestRoot } from '@botgate/testing';
import { uipath } from '../src/index.js';

export const examples = new URL('../../../examples', import.meta.url).pathname;

const { root, cleanups } = useTestRoot('botgate-uipath-');
let made = 0;

/**
 * The adapter over a real core on a fresh database (SQLite, or PostgreSQL when the run is on it),
 * listening on a free port beside api-task, which keeps the server's users, as `botgate serve` starts them.
 */
export const startUipath = async (
  options: Pick<StartAdapterOptions, 'settings' | 'routers' | 'worker'> = {},
): Promise<StartedAdapter> => {
  const started = await startAdapter(uipath, {
    ...options,
    alongside: [apiTask],
    catalogDir: examples,
    dataDir: join(root, `data-${++made}`),
  });
  cleanups.push(async () => {
    await started.close();
    await started.database.drop();
  });
  return started;
};

export { root as testRoot };

type Callback = (error: (Error & { statusCode?: number }) | undefined, data: unknown) => void;
/** UiPath's own Node client (npm `uipath-orchestrator`), used as it ships: callbacks, no types. */
export interface Orchestrator {
  get(path: string, query: Record<string, unknown>, cb: Callback): void;
  post(path: string, data: unknown, cb: Callback): void;
  switchOrganizationUnitId(id: number): void;
  v2: {
    odata: {
      getReleases(query: Record<string, unknown>, cb: Callback): void;
      postStartJobs(data: unknown, cb: Callback): void;
      getJob(id: number, query: Record<string, unknown>, cb: Callback): void;
      getJobs(query: Record<string, unknown>, cb: Callback): void;
      postStopJob(id: number, data: unknown, cb: Callback): void;
    };
  };
}
export const Orchestrator = createRequire(import.meta.url)('uipath-orchestrator') as new (
  options: Record<string, unknown>,
) => Orchestrator;

/** A call of the client as a promise; a refusal carries its status and Orchestrator's parsed body. */
export const call = <T>(send: (cb: Callback) => void): Promise<T> =>
  new Promise((resolve, reject) =>
    send((error, data) => (error ? reject(Object.assign(error, { body: data })) : resolve(data as T))),
  );

export interface JobDto {
  Id: number;
  Key: string;
  State: string;
  Info: string | null;
  InputArguments: string | null;
  OutputArguments: string | null;
  ReleaseName: string;
  StartTime: string | null;
  EndTime: string | null;
  StopStrategy?: string | null;
}
export interface Collection<T> {
  '@odata.context': string;
  '@odata.count'?: number;
  value: T[];
}

/** Signs a botgate user in as Orchestrator's classic clients do; answers the bearer token. */
export const signIn = async (url: string, username: string, password: string): Promise<string> => {
  const response = await fetch(`${url}/api/Account/Authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenancyName: 'Default', usernameOrEmailAddress: username, password }),
  });
  return ((await response.json()) as { result: string }).result;
};
