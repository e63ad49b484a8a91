import { isBotgateError } from '../errors.js';

/**
 * Acts on a record kept in memory (`StampedCache.peek`), whose stamp the act confirms in its own
 * transaction (`EnqueueRequest.held`). Should the record have changed meanwhile, the act kept
 * nothing (STALE_READ) and runs again on the record as the database has it (`fresh`). Any other
 * refusal is answered as the record stands now: `fresh` throws what a caller who asked the
 * database first would have been told (a removed record's 404 before its inputs' 400), and
 * otherwise the refusal stands. Only for acts that can run twice: nothing of the first one may
 * outlive its rolled-back transaction (no uploads moved into a job's folder).
 */
export const actOnKept = async <Kept, Result>(
  kept: Kept | undefined,
  fresh: () => Promise<Kept>,
  act: (record: Kept) => Promise<Result>,
): Promise<Result> => {
  if (kept === undefined) return act(await fresh());
  try {
    return await act(kept);
  } catch (error) {
    const record = await fresh();
    if (isBotgateError(error) && error.code === 'STALE_READ') return act(record);
    throw error;
  }
};
