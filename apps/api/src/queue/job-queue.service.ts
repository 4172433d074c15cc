import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { JOB_QUEUE, JOB_RETRY, type JobName, type JobPayloads, QUEUES } from './queues.js';

/** The only way the rest of the code enqueues work. */
@Injectable()
export class JobQueue {
  private readonly queues: Record<string, Queue>;

  constructor(
    @InjectQueue(QUEUES.contacts) contacts: Queue,
    @InjectQueue(QUEUES.pull) pull: Queue,
    @InjectQueue(QUEUES.matching) matching: Queue,
    @InjectQueue(QUEUES.transactions) transactions: Queue,
    @InjectQueue(QUEUES.crmSync) crmSync: Queue,
  ) {
    // Every queue of QUEUES, so removeAllJobs clears them all.
    this.queues = { [QUEUES.contacts]: contacts, [QUEUES.pull]: pull, [QUEUES.matching]: matching, [QUEUES.transactions]: transactions, [QUEUES.crmSync]: crmSync };
  }

  /** The Redis connection the queues share (for counters and locks: see RedisStore). */
  redis(): Queue['client'] {
    const client = this.queues[QUEUES.contacts]?.client;
    if (!client) throw new Error('queue not ready');
    return client;
  }

  /** Adds a job; `jobId` makes a second add of the same id a no-op. */
  async add<N extends JobName>(name: N, payload: JobPayloads[N], options: { readonly jobId?: string } = {}): Promise<void> {
    const queue = this.queue(name);
    await queue.add(name, payload, {
      attempts: JOB_RETRY[name].attempts,
      backoff: { type: 'connector' },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...(options.jobId ? { jobId: options.jobId } : {}),
    });
  }

  /** Round trip to Redis, for health. */
  async ping(timeoutMs = 1500): Promise<void> {
    const client = this.queues[QUEUES.contacts]?.client;
    if (!client) throw new Error('queue not ready');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Deletes every job and key of these queues under this prefix (test and tooling clean-up). */
  async removeAllJobs(): Promise<void> {
    for (const queue of Object.values(this.queues)) await queue.obliterate({ force: true });
  }

  private queue(name: JobName): Queue {
    const queue = this.queues[JOB_QUEUE[name]];
    if (!queue) throw new Error(`No queue registered for job ${name}`);
    return queue;
  }
}
