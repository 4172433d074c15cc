import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { SANDBOX_XERO_WEBHOOK_KEY } from './oauth.js';
import type { XeroChange, XeroStore } from './store.js';

/** base64(HMAC-SHA256(key, raw body)) — the `x-xero-signature` header (xero-api.md §6.2). */
export function xeroSignature(body: string, key = SANDBOX_XERO_WEBHOOK_KEY): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('base64');
}

export interface WebhookDelivery {
  readonly time: string;
  readonly kind: 'intent-to-receive' | 'events';
  readonly signedCorrectly: boolean;
  readonly eventCount: number;
  readonly status: number | 'error';
}

export interface WebhookSubscription {
  readonly url: string;
  /** OK once the receiver passed Intent to Receive; deliveries only go out then. */
  readonly status: 'OK' | 'FAILED';
  readonly failure?: string;
}

const MAX_DELIVERY_LOG = 200;
/**
 * Real seconds between retries of an events delivery the receiver did not accept with 2xx. Xero
 * retries "with decreasing frequency for up to 24 hours" and then disables the webhook; the
 * sandbox compresses that to three retries, then marks the subscription FAILED.
 */
export const WEBHOOK_RETRY_SECONDS: readonly number[] = [1, 5, 30];

/**
 * The app's webhook: a URL proven by Intent to Receive, then batches of CONTACT, INVOICE and
 * CREDITNOTE events signed with the app's key, sent as soon as the change happens (events of one
 * tick go out together, with increasing sequence numbers).
 */
export class XeroWebhooks {
  private subscription: WebhookSubscription | undefined;
  private readonly pending: XeroChange[] = [];
  private flushScheduled = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private sequence = 0;
  readonly deliveries: WebhookDelivery[] = [];

  /** Base of `resourceUrl`s (`<sandbox>/xero/api.xro/2.0`); set once the sandbox knows its address. */
  apiBase: () => string = () => 'https://api.xero.com/api.xro/2.0';

  constructor(
    store: XeroStore,
    private readonly clock: SandboxClock,
  ) {
    store.onChange((change) => this.enqueue(change));
  }

  get current(): WebhookSubscription | undefined {
    return this.subscription;
  }

  get key(): string {
    return SANDBOX_XERO_WEBHOOK_KEY;
  }

  /**
   * Registers a delivery URL and runs Intent to Receive: an empty payload signed correctly
   * (must answer 200) and one signed wrongly (must answer 401).
   */
  async subscribe(url: string): Promise<WebhookSubscription> {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: randomBytes(10).toString('hex').toUpperCase() });
    const good = await this.post(url, body, xeroSignature(body), 'intent-to-receive', true, 0);
    const bad = await this.post(url, body, xeroSignature(body, `${SANDBOX_XERO_WEBHOOK_KEY}-wrong`), 'intent-to-receive', false, 0);
    let failure: string | undefined;
    if (good !== 200) failure = `A correctly signed Intent to Receive got ${String(good)}; it must get 200 with no body.`;
    else if (bad !== 401) failure = `An incorrectly signed Intent to Receive got ${String(bad)}; it must get 401. Check x-xero-signature against the raw body.`;
    this.subscription = failure === undefined ? { url, status: 'OK' } : { url, status: 'FAILED', failure };
    return this.subscription;
  }

  unsubscribe(): void {
    this.subscription = undefined;
    this.pending.length = 0;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  reset(): void {
    this.unsubscribe();
    this.deliveries.length = 0;
    this.sequence = 0;
  }

  private enqueue(change: XeroChange): void {
    if (this.subscription?.status !== 'OK') return;
    this.pending.push(change);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  private async flush(): Promise<void> {
    const subscription = this.subscription;
    const changes = this.pending.splice(0);
    if (subscription?.status !== 'OK' || changes.length === 0) return;
    const first = this.sequence + 1;
    this.sequence += changes.length;
    const base = this.apiBase();
    const paths: Readonly<Record<string, string>> = { CONTACT: 'Contacts', INVOICE: 'Invoices', CREDITNOTE: 'CreditNotes' };
    const events = changes.map((change) => ({
      resourceUrl: `${base}/${paths[change.category] ?? change.category}/${change.resourceId}`,
      resourceId: change.resourceId,
      eventDateUtc: new Date(change.atMs).toISOString().replace('Z', ''),
      eventType: change.type,
      eventCategory: change.category,
      tenantId: change.tenantId,
      tenantType: 'ORGANISATION',
      ...(change.data === undefined ? {} : { data: change.data }),
    }));
    const body = JSON.stringify({ events, firstEventSequence: first, lastEventSequence: this.sequence, entropy: randomBytes(10).toString('hex').toUpperCase() });
    await this.deliver(subscription, body, events.length, 0);
  }

  /** Sends one events payload; a refusal is retried with the same body, then disables the webhook. */
  private async deliver(subscription: WebhookSubscription, body: string, eventCount: number, attempt: number): Promise<void> {
    if (this.subscription !== subscription) return;
    const status = await this.post(subscription.url, body, xeroSignature(body), 'events', true, eventCount);
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    const wait = WEBHOOK_RETRY_SECONDS[attempt];
    if (wait === undefined) {
      if (this.subscription === subscription) {
        this.subscription = { url: subscription.url, status: 'FAILED', failure: `Deliveries kept failing (last answer ${String(status)}); the webhook is disabled until it is registered again.` };
      }
      return;
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.deliver(subscription, body, eventCount, attempt + 1);
    }, wait * 1000);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async post(url: string, body: string, signature: string, kind: WebhookDelivery['kind'], signedCorrectly: boolean, eventCount: number): Promise<number | 'error'> {
    let status: number | 'error';
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-xero-signature': signature, 'user-agent': 'Xero-Webhooks (sandbox)' },
        body,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'error';
    }
    this.deliveries.push({ time: new Date(this.clock.now()).toISOString(), kind, signedCorrectly, eventCount, status });
    if (this.deliveries.length > MAX_DELIVERY_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERY_LOG);
    return status;
  }
}
