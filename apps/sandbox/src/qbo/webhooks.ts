import { createHmac, randomUUID } from 'node:crypto';
import type { LimitSettings } from '../limits.js';
import type { ChangeEvent, ChangeOperation } from './store.js';

export type WebhookFormat = 'classic' | 'cloudevents';

export interface WebhookConfig {
  readonly url: string;
  readonly verifierToken: string;
  readonly format: WebhookFormat;
}

export interface DeliveryRecord {
  readonly time: string;
  readonly realmId: string;
  readonly events: number;
  readonly attempt: number;
  /** HTTP status the receiver answered, or `error` (refused, timed out). */
  readonly outcome: number | 'error';
  readonly givenUp: boolean;
}

/** Intuit's retry intervals after a failed delivery: 10s, 20s, 30s, 5m, 20m, 2h, 4h, 6h (then 6h). */
export const RETRY_SCHEDULE_MS: readonly number[] = [10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000];
/** After this many failed attempts a batch is dropped (the sandbox keeps retries bounded). */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** Events per delivery and events waiting per realm; the oldest waiting ones are dropped beyond it. */
const MAX_EVENTS_PER_DELIVERY = 100;
const MAX_PENDING_PER_REALM = 10_000;
/** Receivers must answer within 3 seconds. */
const RECEIVER_TIMEOUT_MS = 3_000;
const KEEP_DELIVERIES = 200;

const VERBS: Readonly<Record<ChangeOperation, string>> = { Create: 'created', Update: 'updated', Delete: 'deleted', Merge: 'merged', Void: 'voided' };

/** `intuit-signature`: base64 HMAC-SHA256 of the raw body keyed with the verifier token. */
export function intuitSignature(body: string, verifierToken: string): string {
  return createHmac('sha256', verifierToken).update(body).digest('base64');
}

/** The body Intuit sends for a batch of one realm's events, in the chosen format. */
export function webhookBody(format: WebhookFormat, realmId: string, events: readonly ChangeEvent[]): string {
  if (format === 'classic') {
    return JSON.stringify({
      eventNotifications: [
        {
          realmId,
          dataChangeEvent: {
            entities: events.map((event) => ({
              id: event.id,
              operation: event.operation,
              name: event.entity,
              lastUpdated: new Date(event.timeMs).toISOString(),
              ...(event.deletedId === undefined ? {} : { deletedId: event.deletedId }),
            })),
          },
        },
      ],
    });
  }
  return JSON.stringify(
    events.map((event) => ({
      specversion: '1.0',
      id: `${randomUUID()}-${event.entity}-${event.id}`,
      source: 'intuit.ledgerlink-sandbox',
      type: `qbo.${event.entity.toLowerCase()}.${VERBS[event.operation]}.v1`,
      datacontenttype: 'application/json',
      time: new Date(event.timeMs).toISOString(),
      intuitentityid: event.id,
      intuitaccountid: event.realmId,
      data: event.deletedId === undefined ? {} : { deletedid: event.deletedId },
    })),
  );
}

interface RealmQueue {
  pending: ChangeEvent[];
  /** The body being delivered (kept across retries so the signature and ids stay the same). */
  current: { body: string; events: number } | undefined;
  attempt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Delivers QBO change events to one configured receiver: events of one realm are batched into one
 * signed POST; a receiver that does not answer 200 gets the same body again on Intuit's retry
 * schedule (divided by the sandbox time scale), and later events wait until it is acknowledged.
 */
export class QboWebhooks {
  private config: WebhookConfig | undefined;
  private readonly queues = new Map<string, RealmQueue>();
  private readonly log: DeliveryRecord[] = [];
  private closed = false;

  constructor(private readonly limits: LimitSettings) {}

  configure(config: WebhookConfig | undefined): void {
    this.config = config;
    this.clearQueues();
  }

  current(): { url: string; format: WebhookFormat } | undefined {
    return this.config === undefined ? undefined : { url: this.config.url, format: this.config.format };
  }

  deliveries(): readonly DeliveryRecord[] {
    return [...this.log];
  }

  enqueue(event: ChangeEvent): void {
    if (this.config === undefined || this.closed) return;
    let queue = this.queues.get(event.realmId);
    if (queue === undefined) {
      queue = { pending: [], current: undefined, attempt: 0, timer: undefined };
      this.queues.set(event.realmId, queue);
    }
    queue.pending.push(event);
    if (queue.pending.length > MAX_PENDING_PER_REALM) queue.pending.splice(0, queue.pending.length - MAX_PENDING_PER_REALM);
    if (queue.current === undefined && queue.timer === undefined) this.schedule(event.realmId, queue, 0);
  }

  /** Forgets configuration, queues and the delivery log (control reset). */
  reset(): void {
    this.config = undefined;
    this.clearQueues();
    this.log.length = 0;
  }

  close(): void {
    this.closed = true;
    this.clearQueues();
  }

  private clearQueues(): void {
    for (const queue of this.queues.values()) if (queue.timer !== undefined) clearTimeout(queue.timer);
    this.queues.clear();
  }

  private schedule(realmId: string, queue: RealmQueue, ms: number): void {
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.deliver(realmId, queue);
    }, ms);
    queue.timer.unref();
  }

  private async deliver(realmId: string, queue: RealmQueue): Promise<void> {
    const config = this.config;
    if (config === undefined || this.queues.get(realmId) !== queue) return;
    if (queue.current === undefined) {
      const events = queue.pending.splice(0, MAX_EVENTS_PER_DELIVERY);
      if (events.length === 0) return;
      queue.current = { body: webhookBody(config.format, realmId, events), events: events.length };
      queue.attempt = 0;
    }
    const { body, events } = queue.current;
    queue.attempt += 1;
    let outcome: number | 'error';
    try {
      const response = await fetch(config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'intuit-signature': intuitSignature(body, config.verifierToken) },
        body,
        signal: AbortSignal.timeout(RECEIVER_TIMEOUT_MS),
      });
      outcome = response.status;
      await response.body?.cancel();
    } catch {
      outcome = 'error';
    }
    if (this.queues.get(realmId) !== queue) return;
    const givenUp = outcome !== 200 && queue.attempt >= MAX_ATTEMPTS;
    this.log.push({ time: new Date().toISOString(), realmId, events, attempt: queue.attempt, outcome, givenUp });
    if (this.log.length > KEEP_DELIVERIES) this.log.shift();
    if (outcome === 200 || givenUp) {
      queue.current = undefined;
      if (queue.pending.length > 0) this.schedule(realmId, queue, 0);
      return;
    }
    const wait = RETRY_SCHEDULE_MS[Math.min(queue.attempt - 1, RETRY_SCHEDULE_MS.length - 1)] ?? 21_600_000;
    this.schedule(realmId, queue, wait / this.limits.timeScale);
  }
}
