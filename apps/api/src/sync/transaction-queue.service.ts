import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { JOB_RETRY, JOBS, type JobPayloads, QUEUES } from '../queue/queues.js';

type TransactionJob = typeof JOBS.planTransactionSync | typeof JOBS.pushTransactionBatch | typeof JOBS.readRemoteTransactions;

/** Enqueues the transaction sync jobs on their own queue (same options as JobQueue.add). */
@Injectable()
export class TransactionQueue {
  constructor(@InjectQueue(QUEUES.transactions) private readonly queue: Queue) {}

  async add<N extends TransactionJob>(name: N, payload: JobPayloads[N], options: { readonly jobId?: string } = {}): Promise<void> {
    await this.queue.add(name, payload, {
      attempts: JOB_RETRY[name].attempts,
      backoff: { type: 'connector' },
      removeOnComplete: 1000,
      removeOnFail: 5000,
      ...(options.jobId ? { jobId: options.jobId } : {}),
    });
  }

  /** The Redis connection of the queue (the shared rate budget lives there). */
  redis(): Queue['client'] {
    return this.queue.client;
  }
}
