import type { Job } from '../jobs/job.js';
import { isFinal } from '../jobs/job-state.js';
import type { EndedJob } from '../queue/job-queries.js';

/**
 * Runs `look` over jobs heard ending (a delivery dispatcher's `collectEnded`), the final ones, as
 * pages of `core.jobs.ended` give them (id and end, 500 at a time, one statement's bindings), with
 * the jobs themselves by id; answers the sum of what it answers.
 */
export const lookAtEnded = async (
  jobs: readonly Job[],
  look: (ended: EndedJob[], known: ReadonlyMap<number, Job>) => Promise<number>,
): Promise<number> => {
  const ended: EndedJob[] = [];
  for (const job of jobs)
    if (isFinal(job.state) && job.finishedAt) ended.push({ id: job.id, finishedAt: job.finishedAt.getTime() });
  const known = new Map(jobs.map((job) => [job.id, job]));
  let sum = 0;
  for (let at = 0; at < ended.length; at += 500) sum += await look(ended.slice(at, at + 500), known);
  return sum;
};
