import { SandboxClock } from './clock.js';
import { FaultInjector } from './faults.js';
import { HubspotSandbox } from './hubspot/hubspot-sandbox.js';
import { LimitSettings, LimitTracker } from './limits.js';
import { QboOAuth } from './qbo/oauth.js';
import { seedQboDemo } from './qbo/seed.js';
import { QboStore } from './qbo/store.js';
import { QboWebhooks } from './qbo/webhooks.js';
import { RequestLog } from './request-log.js';
import { XeroOAuth } from './xero/oauth.js';
import { seedXeroDemo } from './xero/seed.js';
import { XeroStore } from './xero/store.js';
import { XeroWebhooks } from './xero/webhooks.js';

/** Everything one running sandbox holds in memory. */
export class SandboxState {
  readonly clock = new SandboxClock();
  readonly log = new RequestLog();
  readonly qbo = new QboStore();
  readonly qboOAuth = new QboOAuth(this.clock);
  /** Sandbox-wide limit switches (`GET|POST /_control/limits`); pass to every LimitTracker. */
  readonly limits = new LimitSettings();
  /** QuickBooks Online's per-realm request limits. */
  readonly qboLimits = new LimitTracker(this.clock, this.limits);
  /** Per-provider fault injection (`POST /_control/faults/:provider`). */
  readonly faults = new FaultInjector();
  /** QBO webhook deliveries (`POST /_control/qbo/webhooks`). */
  readonly qboWebhooks = new QboWebhooks(this.limits);

  /** HubSpot: portals, OAuth, webhooks and per-portal limits (`/hubspot`, `/_control/hubspot`). */
  readonly hubspot: HubspotSandbox;

  /** Xero: organisations, identity, limits and webhooks (`/xero`, `/_control/xero`). */
  readonly xero = new XeroStore();
  readonly xeroOAuth = new XeroOAuth(this.clock);
  readonly xeroLimits = new LimitTracker(this.clock, this.limits);
  readonly xeroWebhooks = new XeroWebhooks(this.xero, this.clock);

  constructor(readonly seedDemo: boolean) {
    if (seedDemo) seedXeroDemo(this.xero, this.clock.now());
    this.hubspot = new HubspotSandbox(this.clock, this.limits, seedDemo);
    this.qbo.onChange = (event) => this.qboWebhooks.enqueue(event);
    if (seedDemo) seedQboDemo(this.qbo, this.clock.now());
  }

  /**
   * Back to the start: the demo seed when the sandbox was seeded, else empty. Authorizations for
   * companies that still exist afterwards (the seed's realm ids are fixed) keep working, so a
   * connected hub does not have to reconnect; the request log and the clock start over.
   */
  reset(): void {
    this.qbo.clear();
    this.clock.reset();
    if (this.seedDemo) seedQboDemo(this.qbo, this.clock.now());
    this.qboOAuth.forgetRealmsExcept(new Set(this.qbo.list().map((company) => company.realmId)));
    this.log.clear();
    this.faults.reset();
    this.limits.reset();
    this.qboLimits.clear();
    this.qboWebhooks.reset();
    this.hubspot.reset();
    this.xero.clear();
    if (this.seedDemo) seedXeroDemo(this.xero, this.clock.now());
    this.xeroOAuth.forgetTenantsExcept(new Set(this.xero.list().map((org) => org.tenantId)));
    this.xeroLimits.clear();
    this.xeroWebhooks.reset();
  }
}
