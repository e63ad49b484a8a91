import type { Request } from 'express';
import { ProcessApiError } from './errors.js';
import type { Process, Processes } from './processes.js';
import { secretMatches } from './secrets.js';
import type { Permission, WorkspaceKeys } from './workspace-keys.js';

const header = 'robocloud-process-secret';

/** The process secret sent, from the header (preferred) or the query; undefined when none or empty. */
const presentedSecret = (req: Request): string | undefined => {
  const query = req.query[header];
  const presented = req.get(header) ?? (typeof query === 'string' ? query : undefined);
  return presented === '' ? undefined : presented;
};

/**
 * The legacy API's check against the process as this node keeps it (`Processes.peek`), for a
 * write that confirms its stamp in its own transaction (`actOnKept`). Undefined unless the process
 * is kept here and the secret sent matches it: every refusal is `authenticateProcessSecret`'s.
 */
export const keptProcessSecret = (
  req: Request,
  { workspaceId: ws, processId }: { workspaceId: string; processId: string },
  processes: Processes,
): ReturnType<Processes['peek']> => {
  const presented = presentedSecret(req);
  const kept = presented === undefined ? undefined : processes.peek(processId);
  return kept?.workspaceId === ws && secretMatches(presented as string, kept.process.secretHash) ? kept : undefined;
};

/**
 * The legacy API's check: the process's own secret, from the header (preferred) or the query.
 * The hash is compared even when the process does not exist, so the answer takes the same time.
 * `stamp`: the processes' change stamp, when the route's own statement read it (`Runs.jobOf`).
 */
export const authenticateProcessSecret = async (
  req: Request,
  { workspaceId: ws, processId }: { workspaceId: string; processId: string },
  processes: Processes,
  stamp?: number,
): Promise<{ process: Process; workspaceId: string }> => {
  const presented = presentedSecret(req);
  if (presented === undefined)
    throw new ProcessApiError('UNAUTHORIZED', `send the process secret in the ${header} header (or query parameter)`);
  const workspaceId = await processes.workspaceId();
  const process = ws === workspaceId ? await processes.find(processId, stamp) : undefined;
  const matches = secretMatches(presented, process?.secretHash);
  if (!process)
    throw new ProcessApiError(
      'NOT_FOUND',
      ws === workspaceId ? `no process ${processId} in workspace ${ws}` : `no workspace ${ws}`,
    );
  if (!matches)
    throw new ProcessApiError(
      'FORBIDDEN',
      process.secretHash === null
        ? 'Process API access is not enabled for this process'
        : 'the secret is not valid for this process',
    );
  return { process, workspaceId };
};

/** The process-v1 check of a workspace-wide call: `Authorization: RC-WSKEY <key>` with the permission it needs, for this workspace. */
export const authenticateWorkspace = async (
  req: Request,
  { workspaceId: ws }: { workspaceId: string },
  { keys, processes }: { keys: WorkspaceKeys; processes: Processes },
  permission: Permission,
): Promise<{ workspaceId: string }> => {
  const presented = req.get('authorization')?.match(/^RC-WSKEY\s+(\S+)$/i)?.[1];
  if (presented === undefined)
    throw new ProcessApiError('UNAUTHORIZED', 'send a workspace key: Authorization: RC-WSKEY <key>', {
      'WWW-Authenticate': 'RC-WSKEY',
    });
  const key = await keys.authenticate(presented);
  if (!key) throw new ProcessApiError('FORBIDDEN', 'the workspace key is not valid');
  if (!key.permissions.includes(permission))
    throw new ProcessApiError('FORBIDDEN', `the key "${key.name}" lacks the ${permission} permission`);
  const workspaceId = await processes.workspaceId();
  if (ws !== workspaceId) throw new ProcessApiError('NOT_FOUND', `no workspace ${ws}`);
  return { workspaceId };
};

/** The process-v1 check of a call on one process: the workspace's, then the process. */
export const authenticateWorkspaceKey = async (
  req: Request,
  params: { workspaceId: string; processId: string },
  deps: { keys: WorkspaceKeys; processes: Processes },
  permission: Permission,
): Promise<{ process: Process; workspaceId: string }> => {
  const { workspaceId } = await authenticateWorkspace(req, params, deps, permission);
  const { processId } = params;
  const process = await deps.processes.find(processId);
  if (!process) throw new ProcessApiError('NOT_FOUND', `no process ${processId} in workspace ${workspaceId}`);
  return { process, workspaceId };
};
