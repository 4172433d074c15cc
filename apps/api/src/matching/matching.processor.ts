import { JsonLogger } from '../common/json-logger.js';
import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { JOBS, type MatchContactsPayload, QUEUES } from '../queue/queues.js';
import { MatchingRunner } from './matching-runner.service.js';

@Processor(QUEUES.matching)
export class MatchingProcessor {
  constructor(
    private readonly runner: MatchingRunner,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: JOBS.matchContacts, concurrency: 1 })
  async matchContacts(job: QueueJob<MatchContactsPayload>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await this.runner.run(job.data, attempt);
    } catch (error) {
      this.logger.warn('matching attempt failed; the queue retries it', { syncRunId: job.data.syncRunId, attempt: attempt.number, of: attempt.max, error: (error as Error).message });
      throw error;
    }
  }
}
