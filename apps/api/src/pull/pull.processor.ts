import { JsonLogger } from '../common/json-logger.js';
import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { JOBS, type PullContactsPayload, QUEUES } from '../queue/queues.js';
import { PullRunner } from './pull-runner.service.js';

@Processor(QUEUES.pull)
export class PullProcessor {
  constructor(
    private readonly runner: PullRunner,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: JOBS.pullContacts, concurrency: 1 })
  async pullContacts(job: QueueJob<PullContactsPayload>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await this.runner.run(job.data, attempt);
    } catch (error) {
      this.logger.warn('pull attempt failed; the queue retries it', { syncRunId: job.data.syncRunId, attempt: attempt.number, of: attempt.max, error: (error as Error).message });
      throw error;
    }
  }
}
