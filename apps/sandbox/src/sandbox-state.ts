import { SandboxClock } from './clock.js';
import { QboOAuth } from './qbo/oauth.js';
import { seedQboDemo } from './qbo/seed.js';
import { QboStore } from './qbo/store.js';
import { RequestLog } from './request-log.js';

/** Everything one running sandbox holds in memory. */
export class SandboxState {
  readonly clock = new SandboxClock();
  readonly log = new RequestLog();
  readonly qbo = new QboStore();
  readonly qboOAuth = new QboOAuth(this.clock);

  constructor(readonly seedDemo: boolean) {
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
  }
}
