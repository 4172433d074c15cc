import type { Job } from 'bull';

/** Processor decorators, re-exported so no feature imports Bull directly. */
export { Process, Processor } from '@nestjs/bull';

export type QueueJob<T> = Job<T>;

export interface Attempt {
  /** 1 for the first try. */
  readonly number: number;
  readonly max: number;
  readonly isLast: boolean;
}

export function attemptOf(job: QueueJob<unknown>): Attempt {
  const max = job.opts.attempts ?? 1;
  const number = job.attemptsMade + 1;
  return { number, max, isLast: number >= max };
}
