import { JsonLogger } from '../common/json-logger.js';
import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { QUEUES } from '../queue/queues.js';
import { CrmPoller } from './crm-poller.service.js';
import { CRM_JOBS, type CrmWritePayload } from './crm-sync.queue.js';
import { CrmWriteRunner } from './crm-write-runner.service.js';

@Processor(QUEUES.crmSync)
export class CrmSyncProcessor {
  constructor(
    private readonly poller: CrmPoller,
    private readonly writer: CrmWriteRunner,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: CRM_JOBS.poll, concurrency: 1 })
  async poll(): Promise<void> {
    await this.poller.tick();
  }

  @Process({ name: CRM_JOBS.write, concurrency: 2 })
  async write(job: QueueJob<CrmWritePayload>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await this.writer.run(job.data, attempt);
    } catch (error) {
      this.logger.warn('crm sync write attempt failed; the queue retries it', { contactId: job.data.contactId, connectionId: job.data.connectionId, attempt: attempt.number, error: (error as Error).message });
      throw error;
    }
  }
}
