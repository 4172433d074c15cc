import { createHmac } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, PRISMA } from '../app/tokens.js';
import { JsonLogger } from '../common/json-logger.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { endpointSecretContext } from './events.service.js';

/** A delivery is abandoned (state failed, with its last error) after this many attempts. */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** The longest wait between two attempts. */
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
/** The receiver must answer within this; a slower answer counts as a failed attempt. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** A claimed delivery is not picked up by another worker for this long (longer than the time-out). */
const CLAIM_MS = 30_000;
const EVENTS_PER_TICK = 500;
const DELIVERIES_PER_TICK = 50;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>` */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Exponential back-off with ±20% jitter: base, 2×base, 4×base … capped at six hours. */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const plain = Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

/**
 * Sends hub events to the host app's webhook endpoints, from the worker. Each tick: new HubEvents
 * become one WebhookDelivery per endpoint that takes their type (unique per endpoint and event,
 * so several workers never make two), and deliveries that are due are claimed (a conditional
 * update, so one worker sends each) and POSTed, signed. A 2xx ends the delivery; anything else is
 * retried with back-off until MAX_DELIVERY_ATTEMPTS, then marked failed with the last error. The
 * database is the queue: a crash loses nothing, a claim expires and another worker sends it.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly crypto: CryptoService,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.webhookTickMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round (also called by tests); rounds never overlap in a process. */
  tick(): Promise<void> {
    this.running ??= this.round()
      .catch((error: unknown) => this.logger.warn('webhook dispatch round failed; next round retries', { error: (error as Error).message }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async round(): Promise<void> {
    await this.fanOut();
    if (!this.stopped) await this.deliverDue();
  }

  /** New events → deliveries, per enabled endpoint, advancing the endpoint's cursor. */
  private async fanOut(): Promise<void> {
    const endpoints = await this.prisma.webhookEndpoint.findMany({ where: { enabled: true }, select: { id: true, workspaceId: true, events: true, lastSeq: true } });
    for (const endpoint of endpoints) {
      const events = await this.prisma.hubEvent.findMany({
        where: { workspaceId: endpoint.workspaceId, seq: { gt: endpoint.lastSeq } },
        orderBy: { seq: 'asc' },
        take: EVENTS_PER_TICK,
      });
      const last = events.at(-1);
      if (!last) continue;
      const wanted = Array.isArray(endpoint.events) && endpoint.events.length > 0 ? new Set(endpoint.events.map(String)) : null;
      const chosen = events.filter((event) => wanted === null || wanted.has(event.type));
      await this.prisma.$transaction([
        this.prisma.webhookDelivery.createMany({
          data: chosen.map((event) => ({
            workspaceId: endpoint.workspaceId,
            endpointId: endpoint.id,
            eventId: event.id,
            eventType: event.type,
            payload: { id: event.id, seq: event.seq.toString(), type: event.type, createdAt: event.createdAt.toISOString(), data: event.payload ?? {} },
          })),
          skipDuplicates: true,
        }),
        // Only forward: a slower worker that read the same events cannot move the cursor back.
        this.prisma.webhookEndpoint.updateMany({ where: { id: endpoint.id, lastSeq: { lt: last.seq } }, data: { lastSeq: last.seq } }),
      ]);
    }
  }

  private async deliverDue(): Promise<void> {
    const now = new Date();
    const due = await this.prisma.webhookDelivery.findMany({
      where: { state: 'pending', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      orderBy: { createdAt: 'asc' },
      take: DELIVERIES_PER_TICK,
      select: { id: true, endpointId: true, eventId: true, eventType: true, payload: true, attempts: true, nextAttemptAt: true },
    });
    await Promise.all(
      due.map(async (delivery) => {
        const claimed = await this.prisma.webhookDelivery.updateMany({
          where: { id: delivery.id, state: 'pending', attempts: delivery.attempts },
          data: { nextAttemptAt: new Date(Date.now() + CLAIM_MS), attempts: { increment: 1 } },
        });
        if (claimed.count === 1) await this.send({ ...delivery, attempts: delivery.attempts + 1 });
      }),
    );
  }

  private async send(delivery: { id: string; endpointId: string; eventId: string; eventType: string; payload: unknown; attempts: number }): Promise<void> {
    const endpoint = await this.prisma.webhookEndpoint.findUnique({ where: { id: delivery.endpointId }, select: { url: true, secret: true, enabled: true } });
    if (!endpoint?.enabled) {
      await this.prisma.webhookDelivery.updateMany({ where: { id: delivery.id }, data: { state: 'failed', lastError: 'the endpoint was removed or disabled', nextAttemptAt: null } });
      return;
    }
    const body = JSON.stringify(delivery.payload);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const secret = this.crypto.decrypt(endpoint.secret, endpointSecretContext(delivery.endpointId));
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Ledgerlink-Webhooks/1',
          'x-ledgerlink-event-id': delivery.eventId,
          'x-ledgerlink-event-type': delivery.eventType,
          'x-ledgerlink-delivery-attempt': String(delivery.attempts),
          'x-ledgerlink-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `the endpoint answered ${status}`;
    } catch (cause) {
      error = (cause as Error).name === 'TimeoutError' ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `could not reach the endpoint (${(cause as Error).message})`;
    }
    if (error === null) {
      await this.prisma.webhookDelivery.updateMany({ where: { id: delivery.id }, data: { state: 'delivered', lastStatus: status, lastError: null, deliveredAt: new Date(), nextAttemptAt: null } });
      return;
    }
    const last = delivery.attempts >= MAX_DELIVERY_ATTEMPTS;
    await this.prisma.webhookDelivery.updateMany({
      where: { id: delivery.id },
      data: last
        ? { state: 'failed', lastStatus: status, lastError: `${error}; gave up after ${delivery.attempts} attempts`, nextAttemptAt: null }
        : { lastStatus: status, lastError: error, nextAttemptAt: new Date(Date.now() + retryDelayMs(delivery.attempts, this.config.webhookRetryBaseMs)) },
    });
    this.logger.info('webhook delivery failed', { deliveryId: delivery.id, endpointId: delivery.endpointId, attempts: delivery.attempts, error, final: last });
  }
}
