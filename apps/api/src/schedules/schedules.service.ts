import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { ScheduleSetting } from '@ledgerlink/contract';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { JsonLogger } from '../common/json-logger.js';
import { QUEUES } from '../queue/queues.js';

/** The schedules queue's repeatable job: one per scheduled connection. */
export const SCHEDULED_PULL = 'scheduled-pull';
/** How often every worker compares the stored schedules with the registered repeatable jobs. */
export const RECONCILE_EVERY_MS = 60_000;

export interface ScheduledPullPayload {
  readonly workspaceId: string;
  readonly connectionId: string;
}

/** What Bull needs to repeat a job: an interval in ms or a cron expression. */
export type Repeat = { readonly every: number } | { readonly cron: string };

/** No colons: Bull builds the repeat key from name:jobId:endDate:tz:repeat and splits it on them. */
export function scheduleJobId(connectionId: string): string {
  return `schedule-${connectionId}`;
}

/** The repeat a stored settings value asks for; null when the schedule is off or unreadable. */
export function repeatOf(settings: Prisma.JsonValue): Repeat | null {
  const stored = settings !== null && typeof settings === 'object' && !Array.isArray(settings) ? settings.schedule : undefined;
  const parsed = ScheduleSetting.safeParse(stored);
  if (!parsed.success) return null;
  const schedule = parsed.data;
  if (schedule.type === 'interval') return { every: schedule.minutes * 60_000 };
  if (schedule.type === 'cron') return { cron: schedule.expression };
  return null;
}

export interface ReconcileResult {
  readonly registered: number;
  readonly removed: number;
  readonly kept: number;
}

/**
 * Keeps one Bull repeatable job per enabled, connected connection whose settings name a schedule
 * (interval minutes or cron), and none for the others. Reconciles on worker start and every
 * minute, so a saved schedule, a schedule turned off, a disabled or disconnected connection all
 * take effect within a minute without the settings path knowing about Bull. Idempotent: several
 * workers reconciling at once converge on the same jobs.
 */
@Injectable()
export class SchedulesService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileResult> | undefined;
  private next: Promise<ReconcileResult> | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @InjectQueue(QUEUES.schedules) private readonly queue: Queue,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      this.reconcile().catch((error: unknown) => this.logger.warn('schedules could not be reconciled; retrying in a minute', { error: (error as Error).message }));
    };
    tick();
    this.timer = setInterval(tick, RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Registers, replaces and removes repeatable jobs to match the stored schedules. A call made
   * while a round is running waits for it and then runs one more (shared by every call that came
   * meanwhile), so what it answers reflects the settings as they were when it was called.
   */
  reconcile(): Promise<ReconcileResult> {
    if (this.running) {
      this.next ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.reconcile();
        });
      return this.next;
    }
    this.running = this.reconcileNow().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async reconcileNow(): Promise<ReconcileResult> {
    const connections = await this.prisma.connection.findMany({ where: { status: 'connected', enabled: true }, select: { id: true, workspaceId: true, settings: true } });
    const wanted = new Map<string, { readonly payload: ScheduledPullPayload; readonly repeat: Repeat }>();
    for (const connection of connections) {
      const repeat = repeatOf(connection.settings);
      if (repeat) wanted.set(scheduleJobId(connection.id), { payload: { workspaceId: connection.workspaceId, connectionId: connection.id }, repeat });
    }
    let removed = 0;
    let kept = 0;
    const present = new Set<string>();
    for (const job of await this.queue.getRepeatableJobs()) {
      if (job.name !== SCHEDULED_PULL) continue;
      const want = job.id ? wanted.get(job.id) : undefined;
      // Bull reports an interval either as `every` or in the key's last field (read back as `cron`), by version.
      const same = want !== undefined && ('every' in want.repeat ? Number(job.every ?? job.cron) === want.repeat.every : job.cron === want.repeat.cron);
      if (same && job.id && !present.has(job.id)) {
        present.add(job.id);
        kept += 1;
        continue;
      }
      await this.queue.removeRepeatableByKey(job.key);
      removed += 1;
    }
    let registered = 0;
    for (const [jobId, want] of wanted) {
      if (present.has(jobId)) continue;
      await this.queue.add(SCHEDULED_PULL, want.payload, { jobId, repeat: want.repeat, removeOnComplete: 100, removeOnFail: 100, attempts: 1 });
      registered += 1;
    }
    if (registered + removed > 0) this.logger.info('schedules reconciled', { registered, removed, kept });
    return { registered, removed, kept };
  }
}
