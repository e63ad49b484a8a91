import type { Logger } from '../logger.js';
import type { Database } from '../queue/database.js';
import { insertJobs, type JobRecord } from '../queue/insert-jobs.js';
import type { Job } from './job.js';

/**
 * Writes finished real-time jobs behind the answer, many per commit: the caller of a real-time
 * run has its result already, so its record need not hold the answer up. Records not yet written
 * when the process dies are lost; the callers got their answers.
 */
export const createJobRecorder = (db: Database, logger: Logger, onRecorded: (job: Job) => void, { delayMs = 50, maxBatch = 500 } = {}) => {
  let pending: Array<{ record: JobRecord; resolve: (job: Job) => void; reject: (error: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing.then(async () => {
      try {
        const jobs = await insertJobs(db, batch.map((b) => b.record));
        jobs.forEach((job, index) => {
          batch[index]?.resolve(job);
          onRecorded(job);
        });
      } catch (error) {
        logger.error({ err: error, count: batch.length }, 'recording real-time jobs failed');
        batch.forEach((b) => b.reject(error));
      }
    });
    return writing;
  };

  return {
    record(record: JobRecord): Promise<Job> {
      const recorded = new Promise<Job>((resolve, reject) => pending.push({ record, resolve, reject }));
      recorded.catch(() => undefined);
      if (pending.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), delayMs);
      return recorded;
    },
    flush,
  };
};

export type JobRecorder = ReturnType<typeof createJobRecorder>;
