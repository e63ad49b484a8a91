import { EventEmitter } from 'node:events';
import type { Job } from './job.js';

/**
 * What core's parts tell each other of jobs: one committed to the queue (the dispatcher looks at
 * once instead of at its next poll), one ended (waiters and listeners hear of it). Each part is
 * given this object, so none holds another.
 */
export interface JobEvents {
  enqueued(): void;
  onEnqueued(listener: () => void): () => void;
  finished(job: Job): void;
  onFinished(listener: (job: Job) => void): () => void;
}

export const createJobEvents = (): JobEvents => {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    enqueued: () => emitter.emit('enqueued'),
    onEnqueued(listener) {
      emitter.on('enqueued', listener);
      return () => emitter.off('enqueued', listener);
    },
    finished: (job) => emitter.emit('finished', job),
    onFinished(listener) {
      emitter.on('finished', listener);
      return () => emitter.off('finished', listener);
    },
  };
};
