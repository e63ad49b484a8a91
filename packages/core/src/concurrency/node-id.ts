import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isProcessAlive } from '../runners/kill-process-group.js';

/** `host/pid/random`: enough to tell, on this host, whether the node that owns a lease still lives. */
export const createNodeId = (): string => `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

/**
 * True when `owner` is a node of this host that is certainly gone: its process no longer exists,
 * or it had our process id (a restarted container) but is not us. Other hosts' nodes are judged
 * by their lease alone.
 */
export const isDeadLocalNode = (owner: string, self: string): boolean => {
  const [host, pidText] = owner.split('/');
  if (host !== hostname() || owner === self) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return pid === process.pid || !isProcessAlive(pid);
};
