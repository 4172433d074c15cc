import { Inject } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { JsonLogger } from '../common/json-logger.js';
import { PULL_RUN_KIND } from '../pull/pull.repository.js';
import { JobQueue } from '../queue/job-queue.service.js';
import { Process, Processor, type QueueJob } from '../queue/queue.decorators.js';
import { JOBS, QUEUES } from '../queue/queues.js';
import { repeatOf, SCHEDULED_PULL, type ScheduledPullPayload } from './schedules.service.js';

/**
 * A schedule's tick: starts a contact pull (the pull job runs matching when it succeeds), as a
 * SyncRun with trigger `schedule`. A tick for a connection no longer scheduled, connected or
 * enabled, or one whose previous pull is still queued or running, starts nothing.
 */
@Processor(QUEUES.schedules)
export class SchedulesProcessor {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    private readonly logger: JsonLogger,
  ) {}

  @Process({ name: SCHEDULED_PULL, concurrency: 1 })
  async tick(job: QueueJob<ScheduledPullPayload>): Promise<void> {
    const { workspaceId, connectionId } = job.data;
    const connection = await this.prisma.connection.findFirst({ where: { id: connectionId, workspaceId }, select: { status: true, enabled: true, settings: true } });
    if (!connection || connection.status !== 'connected' || !connection.enabled || !repeatOf(connection.settings)) return;
    const busy = await this.prisma.syncRun.findFirst({ where: { workspaceId, connectionId, kind: PULL_RUN_KIND, state: { in: ['queued', 'running'] } }, select: { id: true } });
    if (busy) {
      this.logger.info('scheduled pull skipped: the previous pull has not finished', { connectionId, syncRunId: busy.id });
      return;
    }
    const run = await this.prisma.syncRun.create({
      data: { workspaceId, connectionId, kind: PULL_RUN_KIND, trigger: 'schedule', state: 'queued', results: { fetched: 0, linksChanged: 0, error: null } },
      select: { id: true },
    });
    await this.jobs.add(JOBS.pullContacts, { workspaceId, connectionId, syncRunId: run.id }, { jobId: run.id });
    this.logger.info('scheduled pull started', { connectionId, syncRunId: run.id });
  }
}
