import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { JOBS, QUEUES, type UploadContactsPayload } from '../queue/queues.js';
import { JsonLogger } from '../common/json-logger.js';
import { UploadRunner } from './upload-runner.service.js';

@Processor(QUEUES.contacts)
export class UploadsProcessor {
  constructor(
    private readonly runner: UploadRunner,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: JOBS.uploadContacts, concurrency: 2 })
  async uploadContacts(job: QueueJob<UploadContactsPayload>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await this.runner.run(job.data, attempt);
    } catch (error) {
      this.logger.warn('upload attempt failed; the queue retries it', { syncRunId: job.data.syncRunId, attempt: attempt.number, of: attempt.max, error: (error as Error).message });
      throw error;
    }
  }
}
