import type { SandboxClock } from '../clock.js';
import { SANDBOX_HUBSPOT_CLIENT_SECRET } from '../connector-env.js';
import { type LimitSettings, LimitTracker } from '../limits.js';
import { HubspotOAuth } from './oauth.js';
import { seedHubspotDemo } from './seed.js';
import { HubspotStore } from './store.js';
import { WebhookDispatcher } from './webhooks.js';

/** Everything the HubSpot sandbox holds: portals, OAuth grants, webhook settings and rate-limit windows. */
export class HubspotSandbox {
  readonly store = new HubspotStore();
  readonly oauth: HubspotOAuth;
  readonly webhooks: WebhookDispatcher;
  readonly limits: LimitTracker;

  constructor(
    private readonly clock: SandboxClock,
    limitSettings: LimitSettings,
    private readonly seedDemo: boolean,
  ) {
    this.oauth = new HubspotOAuth(clock);
    this.webhooks = new WebhookDispatcher(clock, SANDBOX_HUBSPOT_CLIENT_SECRET, limitSettings);
    this.limits = new LimitTracker(clock, limitSettings);
    this.store.listener = (portal, event) => this.webhooks.record(portal, event);
    if (seedDemo) seedHubspotDemo(this.store, clock.now());
  }

  /** Back to the seed; grants for portals that still exist (the demo portal) keep working. */
  reset(): void {
    this.store.clear();
    this.webhooks.clear();
    this.limits.clear();
    if (this.seedDemo) seedHubspotDemo(this.store, this.clock.now());
    this.oauth.forgetPortalsExcept(new Set(this.store.list().map((p) => p.portalId)));
  }
}
