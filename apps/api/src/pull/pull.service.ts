import { Injectable } from '@nestjs/common';
import type { PullStatus } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { JsonLogger } from '../common/json-logger.js';
import type { AuthContext } from '../auth/auth.context.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { JOBS } from '../queue/queues.js';
import { PullRepository, type PullRunRow, readSummary } from './pull.repository.js';
import { assertUsable } from '../connections/usable.js';

/** Starts mirror pulls (on demand and right after a connection is made) and reports them. */
@Injectable()
export class PullService {
  constructor(
    private readonly repository: PullRepository,
    private readonly queue: JobQueue,
    private readonly logger: JsonLogger,
  ) {}

  async start(auth: AuthContext, connectionId: string): Promise<PullStatus> {
    const connection = await this.repository.findConnection(auth.workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    assertUsable(connection, 'refreshing');
    const run = await this.enqueue(auth.workspaceId, connectionId, auth.via === 'api_key' ? 'api' : 'manual');
    return toPullStatus(run);
  }

  /** Enqueues a pull; the job carries ids only. */
  async enqueue(workspaceId: string, connectionId: string, trigger: 'manual' | 'api' | 'connect'): Promise<PullRunRow> {
    const run = await this.repository.createRun(workspaceId, connectionId, trigger);
    try {
      await this.queue.add(JOBS.pullContacts, { workspaceId, connectionId, syncRunId: run.id }, { jobId: run.id });
    } catch (error) {
      this.logger.error('could not enqueue pull', { syncRunId: run.id, error: (error as Error).message });
      await this.repository.save(workspaceId, run.id, { fetched: 0, linksChanged: 0, error: 'The job queue (Redis) did not answer.' }, 'failed');
      throw ApiErrors.unavailable('The job queue (Redis) is not answering, so the refresh could not start: try again in a moment.');
    }
    return run;
  }

  async get(auth: AuthContext, connectionId: string, pullId: string): Promise<PullStatus> {
    const run = await this.repository.findRun(auth.workspaceId, pullId, connectionId);
    if (!run) throw ApiErrors.notFound(`Pull ${pullId}`);
    return toPullStatus(run);
  }
}

function toPullStatus(run: PullRunRow): PullStatus {
  const summary = readSummary(run.results);
  const state = run.state === 'running' || run.state === 'completed' || run.state === 'failed' ? run.state : 'queued';
  return { pullId: run.id, connectionId: run.connectionId, state, ...summary };
}
