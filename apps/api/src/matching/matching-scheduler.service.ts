import { Injectable } from '@nestjs/common';
import { JsonLogger } from '../common/json-logger.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { JOBS } from '../queue/queues.js';
import { MatchingRepository, type MatchingRunRow } from './matching.repository.js';

/** Creates a matching run and enqueues its job (ids only): on demand and after each successful pull. */
@Injectable()
export class MatchingScheduler {
  constructor(
    private readonly repository: MatchingRepository,
    private readonly queue: JobQueue,
    private readonly logger: JsonLogger,
  ) {}

  /** Throws when the queue does not answer (the run is then recorded as failed). */
  async enqueue(workspaceId: string, connectionId: string, trigger: 'manual' | 'api' | 'pull'): Promise<MatchingRunRow> {
    const run = await this.repository.createRun(workspaceId, connectionId, trigger);
    try {
      await this.queue.add(JOBS.matchContacts, { workspaceId, connectionId, syncRunId: run.id }, { jobId: run.id });
    } catch (error) {
      this.logger.error('could not enqueue matching', { syncRunId: run.id, error: (error as Error).message });
      await this.repository.finish(workspaceId, run.id, { autoLinked: 0, suggested: 0, unmatched: 0, error: 'The job queue (Redis) did not answer.' }, 'failed');
      throw error;
    }
    return run;
  }
}
