import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { JOBS, type PlanTransactionSyncPayload, type PushTransactionBatchPayload, QUEUES, type ReadRemoteTransactionsPayload } from '../queue/queues.js';
import { JsonLogger } from '../common/json-logger.js';
import { RemoteReader } from './remote-reader.service.js';
import { SyncRunner } from './sync-runner.service.js';

@Processor(QUEUES.transactions)
export class SyncProcessor {
  constructor(
    private readonly runner: SyncRunner,
    private readonly reader: RemoteReader,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: JOBS.planTransactionSync, concurrency: 1 })
  async plan(job: QueueJob<PlanTransactionSyncPayload>): Promise<void> {
    await this.attempt(job, 'plan', () => this.runner.plan(job.data, attemptOf(job)));
  }

  @Process({ name: JOBS.pushTransactionBatch, concurrency: 2 })
  async push(job: QueueJob<PushTransactionBatchPayload>): Promise<void> {
    await this.attempt(job, 'batch', () => this.runner.push(job.data, attemptOf(job)));
  }

  @Process({ name: JOBS.readRemoteTransactions, concurrency: 1 })
  async read(job: QueueJob<ReadRemoteTransactionsPayload>): Promise<void> {
    await this.attempt(job, 'remote read', () => this.reader.run(job.data, attemptOf(job)));
  }

  private async attempt(job: QueueJob<{ readonly syncRunId: string }>, what: string, work: () => Promise<void>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await work();
    } catch (error) {
      this.logger.warn(`transaction ${what} attempt failed; the queue retries it`, { syncRunId: job.data.syncRunId, attempt: attempt.number, of: attempt.max, error: (error as Error).message });
      throw error;
    }
  }
}
