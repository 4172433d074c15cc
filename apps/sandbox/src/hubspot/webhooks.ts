import { createHash, createHmac } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import type { LimitSettings } from '../limits.js';
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
  'company.merge',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface Subscription {
  readonly id: number;
  readonly eventType: WebhookEventType;
  /** For propertyChange: the property watched; undefined watches every property (a sandbox convenience). */
  readonly propertyName?: string;
}

/** A subscription made through HubSpot's Webhooks API (per app), which can be paused. */
export interface AppSubscription extends Subscription {
  readonly active: boolean;
  readonly createdMs: number;
  readonly updatedMs: number;
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
  /** attemptNumber of the events sent (0 for the first send). */
  readonly attemptNumber: number;
  /** When the failed events are sent again (sandbox time), absent after success or the last attempt. */
  readonly retryAt?: string;
}

type WebhookEvent = Record<string, string | number | boolean | readonly number[]>;

/** HubSpot sends at most 100 events per request. */
const MAX_BATCH = 100;
/** HubSpot tries a delivery up to 10 times (the first send and 9 retries). */
const MAX_ATTEMPTS = 10;
/**
 * Waits before each retry of a failed delivery: HubSpot retries "up to 10 times, spread over the
 * next 24 hours, with varying delays"; the sandbox doubles from one minute (about 8.5 h in all),
 * divided by the sandbox time scale (`POST /_control/limits {timeScale}`).
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000, 15_360_000];
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
  private readonly retries = new Set<NodeJS.Timeout>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: SandboxClock,
    private readonly secret: string,
    private readonly limits: LimitSettings,
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
    // Pending retries check the settings when they fire, so they stop by themselves.
    this.queues.delete(portalId);
  }

  get(portalId: number): WebhookSettings | undefined {
    return this.settings.get(portalId);
  }

  /** The app's own settings (HubSpot's Webhooks API v3): they apply to every portal without control-API settings. */
  private app: { targetUrl: string; maxConcurrentRequests: number; createdMs: number; updatedMs: number } | undefined;
  private readonly appSubscriptions = new Map<number, AppSubscription>();

  appSettings(): { targetUrl: string; maxConcurrentRequests: number; createdMs: number; updatedMs: number } | undefined {
    return this.app;
  }

  configureApp(input: { targetUrl: string; maxConcurrentRequests: number }): void {
    const now = this.clock.now();
    this.app = { ...input, createdMs: this.app?.createdMs ?? now, updatedMs: now };
  }

  removeApp(): void {
    this.app = undefined;
  }

  subscriptionsOfApp(): AppSubscription[] {
    return [...this.appSubscriptions.values()];
  }

  subscribeApp(input: { eventType: WebhookEventType; propertyName?: string | undefined; active: boolean }): AppSubscription {
    const id = this.nextSubscriptionId;
    this.nextSubscriptionId += 1;
    const now = this.clock.now();
    const subscription: AppSubscription = { id, eventType: input.eventType, ...(input.propertyName === undefined ? {} : { propertyName: input.propertyName }), active: input.active, createdMs: now, updatedMs: now };
    this.appSubscriptions.set(id, subscription);
    return subscription;
  }

  updateAppSubscription(id: number, active: boolean): AppSubscription | undefined {
    const current = this.appSubscriptions.get(id);
    if (current === undefined) return undefined;
    const next = { ...current, active, updatedMs: this.clock.now() };
    this.appSubscriptions.set(id, next);
    return next;
  }

  unsubscribeApp(id: number): boolean {
    return this.appSubscriptions.delete(id);
  }

  /** What a portal's changes are sent by: its control-API settings, else the app's (active subscriptions only). */
  effective(portalId: number): WebhookSettings | undefined {
    const own = this.settings.get(portalId);
    if (own !== undefined) return own;
    if (this.app === undefined) return undefined;
    return { targetUrl: this.app.targetUrl, subscriptions: [...this.appSubscriptions.values()].filter((s) => s.active) };
  }

  deliveries(portalId?: number): Delivery[] {
    return this.log.filter((d) => portalId === undefined || d.portalId === portalId);
  }

  /** Queues the events this change produces for the portal's subscriptions. */
  record(portal: HubspotPortal, change: ChangeEvent): void {
    const settings = this.effective(portal.portalId);
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
      const settings = this.effective(portalId);
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
    const attemptNumber = Math.max(...events.map((e) => Number(e.attemptNumber)));
    const entry = { time: new Date(this.clock.now()).toISOString(), portalId, targetUrl, eventCount: events.length, subscriptionTypes: [...new Set(events.map((e) => String(e.subscriptionType)))], attemptNumber };
    let outcome: { status: number } | { error: string };
    try {
      const res = await fetch(targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      outcome = { status: res.status };
    } catch (error) {
      outcome = { error: error instanceof Error ? error.message : String(error) };
    }
    const failed = !('status' in outcome) || outcome.status < 200 || outcome.status >= 300;
    const retry = failed ? events.filter((e) => Number(e.attemptNumber) + 1 < MAX_ATTEMPTS).map((e) => ({ ...e, attemptNumber: Number(e.attemptNumber) + 1 })) : [];
    if (retry.length === 0) {
      this.remember({ ...entry, ...outcome });
      return;
    }
    const waitMs = (RETRY_SCHEDULE_MS[Math.min(attemptNumber, RETRY_SCHEDULE_MS.length - 1)] ?? 60_000) / this.limits.timeScale;
    this.remember({ ...entry, ...outcome, retryAt: new Date(this.clock.now() + waitMs).toISOString() });
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      // Sent again only while the portal still sends to the same URL.
      if (this.effective(portalId)?.targetUrl !== targetUrl) return;
      this.running = this.running.then(() => this.send(portalId, targetUrl, retry));
    }, waitMs);
    timer.unref();
    this.retries.add(timer);
  }

  private remember(delivery: Delivery): void {
    this.log.push(delivery);
    if (this.log.length > DELIVERY_LOG) this.log.splice(0, this.log.length - DELIVERY_LOG);
  }

  /** Forgets settings, queues and the delivery log (reset). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const retry of this.retries) clearTimeout(retry);
    this.retries.clear();
    this.settings.clear();
    this.app = undefined;
    this.appSubscriptions.clear();
    this.queues.clear();
    this.log.length = 0;
  }
}
