import { JsonLogger } from '../common/json-logger.js';
import { attemptOf, Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { QUEUES } from '../queue/queues.js';
import { APPLY_INBOUND_EVENT, type ApplyInboundEventPayload } from './inbound-jobs.js';
import { InboundRunner } from './inbound-runner.service.js';

@Processor(QUEUES.inbound)
export class InboundProcessor {
  constructor(
    private readonly runner: InboundRunner,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: APPLY_INBOUND_EVENT, concurrency: 2 })
  async apply(job: QueueJob<ApplyInboundEventPayload>): Promise<void> {
    const attempt = attemptOf(job);
    try {
      await this.runner.run(job.data.inboundEventId, attempt);
    } catch (error) {
      this.logger.warn('inbound event attempt failed; the queue retries it', { inboundEventId: job.data.inboundEventId, attempt: attempt.number, of: attempt.max, error: (error as Error).message });
      throw error;
    }
  }
}
