import { createHash, createHmac } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { SANDBOX_HUBSPOT_APP, SANDBOX_HUBSPOT_USER } from './oauth.js';
import type { ChangeEvent, HubspotPortal } from './store.js';

/** HubSpot's v3 request signature: base64(HMAC-SHA256(secret, method + uri + body + timestamp)). */
export function hubspotSignatureV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

export const WEBHOOK_EVENT_TYPES = [
  'contact.creation',
  'contact.deletion',
  'contact.propertyChange',
  'contact.merge',
  'company.creation',
  'company.deletion',
  'company.propertyChange',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface Subscription {
  readonly id: number;
  readonly eventType: WebhookEventType;
  /** For propertyChange: the property watched; undefined watches every property (a sandbox convenience). */
  readonly propertyName?: string;
}

export interface WebhookSettings {
  readonly targetUrl: string;
  readonly subscriptions: readonly Subscription[];
}

export interface Delivery {
  readonly time: string;
  readonly portalId: number;
  readonly targetUrl: string;
  readonly eventCount: number;
  readonly subscriptionTypes: readonly string[];
  readonly status?: number;
  readonly error?: string;
}

type WebhookEvent = Record<string, string | number | boolean | readonly number[]>;

/** HubSpot sends at most 100 events per request. */
const MAX_BATCH = 100;
/** HubSpot retries a failed delivery up to 10 times. */
const MAX_ATTEMPTS = 10;
/** Real milliseconds the dispatcher gathers events before sending, so one change burst is one batch. */
const GATHER_MS = 25;
const DELIVERY_TIMEOUT_MS = 5000;
const DELIVERY_LOG = 500;

/**
 * Turns portal changes into HubSpot webhook batches: JSON arrays of events POSTed to the portal's
 * target URL with `X-HubSpot-Signature-v3` + `X-HubSpot-Request-Timestamp` (and the v1 signature),
 * signed with the app's client secret.
 */
export class WebhookDispatcher {
  private readonly settings = new Map<number, WebhookSettings>();
  private readonly queues = new Map<number, WebhookEvent[]>();
  private readonly log: Delivery[] = [];
  private nextSubscriptionId = 1_000_001;
  private nextEventId = 1;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: SandboxClock,
    private readonly secret: string,
  ) {}

  configure(portalId: number, input: { targetUrl: string; subscriptions: readonly { eventType: WebhookEventType; propertyName?: string | undefined }[] }): WebhookSettings {
    const settings: WebhookSettings = {
      targetUrl: input.targetUrl,
      subscriptions: input.subscriptions.map((s) => {
        const id = this.nextSubscriptionId;
        this.nextSubscriptionId += 1;
        return { id, eventType: s.eventType, ...(s.propertyName === undefined ? {} : { propertyName: s.propertyName }) };
      }),
    };
    this.settings.set(portalId, settings);
    return settings;
  }

  remove(portalId: number): void {
    this.settings.delete(portalId);
    this.queues.delete(portalId);
  }

  get(portalId: number): WebhookSettings | undefined {
    return this.settings.get(portalId);
  }

  deliveries(portalId?: number): Delivery[] {
    return this.log.filter((d) => portalId === undefined || d.portalId === portalId);
  }

  /** Queues the events this change produces for the portal's subscriptions. */
  record(portal: HubspotPortal, change: ChangeEvent): void {
    const settings = this.settings.get(portal.portalId);
    if (settings === undefined) return;
    const objectName = change.objectType === 'contacts' ? 'contact' : change.objectType === 'companies' ? 'company' : undefined;
    if (objectName === undefined) return;
    const eventType = `${objectName}.${change.kind}`;
    for (const subscription of settings.subscriptions) {
      if (subscription.eventType !== eventType) continue;
      if (change.kind === 'propertyChange' && subscription.propertyName !== undefined && subscription.propertyName !== change.propertyName) continue;
      const event: WebhookEvent = {
        eventId: this.nextEventId,
        subscriptionId: subscription.id,
        portalId: portal.portalId,
        appId: SANDBOX_HUBSPOT_APP.appId,
        occurredAt: change.occurredAt,
        subscriptionType: eventType,
        attemptNumber: 0,
        objectId: Number(change.objectId),
        changeSource: change.source,
        sourceId: change.source === 'CRM_UI' ? `userId:${SANDBOX_HUBSPOT_USER.id}` : String(SANDBOX_HUBSPOT_APP.appId),
      };
      this.nextEventId += 1;
      switch (change.kind) {
        case 'creation':
          event.changeFlag = 'NEW';
          break;
        case 'deletion':
          event.changeFlag = 'DELETED';
          break;
        case 'propertyChange':
          event.propertyName = change.propertyName;
          event.propertyValue = change.propertyValue;
          break;
        case 'merge':
          event.changeFlag = 'MERGED';
          event.primaryObjectId = Number(change.primaryObjectId);
          event.mergedObjectIds = change.mergedObjectIds.map(Number);
          event.newObjectId = Number(change.newObjectId);
          event.numberOfPropertiesMoved = change.numberOfPropertiesMoved;
          break;
      }
      let queue = this.queues.get(portal.portalId);
      if (queue === undefined) {
        queue = [];
        this.queues.set(portal.portalId, queue);
      }
      queue.push(event);
    }
    if (this.queues.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, GATHER_MS);
      this.timer.unref();
    }
  }

  /** Sends everything queued now and resolves when every delivery so far has finished. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batches: { portalId: number; targetUrl: string; events: WebhookEvent[] }[] = [];
    for (const [portalId, queue] of this.queues) {
      const settings = this.settings.get(portalId);
      if (settings === undefined) continue;
      for (let i = 0; i < queue.length; i += MAX_BATCH) batches.push({ portalId, targetUrl: settings.targetUrl, events: queue.slice(i, i + MAX_BATCH) });
    }
    this.queues.clear();
    this.running = this.running.then(async () => {
      for (const batch of batches) await this.send(batch.portalId, batch.targetUrl, batch.events);
    });
    return this.running;
  }

  private async send(portalId: number, targetUrl: string, events: WebhookEvent[]): Promise<void> {
    const body = JSON.stringify(events);
    const timestamp = String(this.clock.now());
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - WebhooksExecutorDaemon-executor',
      'x-hubspot-signature-version': 'v1',
      'x-hubspot-signature': createHash('sha256').update(`${this.secret}${body}`, 'utf8').digest('hex'),
      'x-hubspot-signature-v3': hubspotSignatureV3(this.secret, 'POST', targetUrl, body, timestamp),
      'x-hubspot-request-timestamp': timestamp,
    };
    const entry = { time: new Date(this.clock.now()).toISOString(), portalId, targetUrl, eventCount: events.length, subscriptionTypes: [...new Set(events.map((e) => String(e.subscriptionType)))] };
    let failed: boolean;
    try {
      const res = await fetch(targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      failed = res.status >= 300;
      this.remember({ ...entry, status: res.status });
    } catch (error) {
      failed = true;
      this.remember({ ...entry, error: error instanceof Error ? error.message : String(error) });
    }
    if (failed) {
      const retry = events.filter((e) => Number(e.attemptNumber) + 1 < MAX_ATTEMPTS).map((e) => ({ ...e, attemptNumber: Number(e.attemptNumber) + 1 }));
      if (retry.length > 0 && this.settings.get(portalId)?.targetUrl === targetUrl) {
        const queue = this.queues.get(portalId) ?? [];
        queue.unshift(...retry);
        this.queues.set(portalId, queue);
      }
    }
  }

  private remember(delivery: Delivery): void {
    this.log.push(delivery);
    if (this.log.length > DELIVERY_LOG) this.log.splice(0, this.log.length - DELIVERY_LOG);
  }

  /** Forgets settings, queues and the delivery log (reset). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.settings.clear();
    this.queues.clear();
    this.log.length = 0;
  }
}
