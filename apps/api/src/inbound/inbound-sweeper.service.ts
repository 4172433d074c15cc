import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { JsonLogger } from '../common/json-logger.js';
import { QUEUES } from '../queue/queues.js';
import { APPLY_INBOUND_ATTEMPTS, APPLY_INBOUND_EVENT, type ApplyInboundEventPayload } from './inbound-jobs.js';

/** An event still `received` this long after it arrived has lost its job (or never got one). */
export const STUCK_AFTER_MS = 2 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;
const PER_SWEEP = 200;
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * Re-queues inbound events that stayed `received`: the webhook was stored but its job was lost
 * (Redis answered the store's provider retry during an outage, a crash between storing and
 * queueing, a job removed by hand). Events of paused connections are left held; an event whose
 * first job is still waiting, delayed or running is left to it. The runner's per-event lock and
 * state check make a second job for the same event harmless.
 */
@Injectable()
export class InboundSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @InjectQueue(QUEUES.inbound) private readonly queue: Queue,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn('inbound sweep failed; next sweep retries', { error: (error as Error).message }));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One sweep; answers how many events were queued again. */
  async sweep(now = new Date()): Promise<number> {
    const stuck = await this.prisma.inboundEvent.findMany({
      where: { state: 'received', receivedAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) }, connectionId: { not: null } },
      orderBy: { receivedAt: 'asc' },
      take: PER_SWEEP,
      select: { id: true, connectionId: true },
    });
    if (stuck.length === 0) return 0;
    const paused = new Set(
      (await this.prisma.connection.findMany({ where: { id: { in: stuck.flatMap((e) => e.connectionId ?? []) }, enabled: false }, select: { id: true } })).map((c) => c.id),
    );
    let queued = 0;
    for (const event of stuck) {
      if (event.connectionId && paused.has(event.connectionId)) continue;
      const first = await this.queue.getJob(`inbound:${event.id}`);
      if (first && LIVE_STATES.has(await first.getState())) continue;
      const payload: ApplyInboundEventPayload = { inboundEventId: event.id };
      await this.queue.add(APPLY_INBOUND_EVENT, payload, {
        jobId: `inbound:${event.id}:sweep:${now.getTime()}`,
        attempts: APPLY_INBOUND_ATTEMPTS,
        backoff: { type: 'connector' },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      });
      queued += 1;
    }
    if (queued > 0) this.logger.warn('inbound events had lost their job; queued again', { events: queued });
    return queued;
  }
}
