import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { XERO_API_PREFIX, registerXeroApiRoutes } from './api.routes.js';
import { registerXeroAppPages } from './app-pages.js';
import { registerXeroControlRoutes } from './control.routes.js';
import { registerXeroOAuthRoutes } from './oauth.routes.js';

/** Everything Xero: identity, connections, Accounting API, app pages and the control API. */
export function registerXeroRoutes(router: Router, state: SandboxState, baseUrl: () => string): void {
  state.xeroWebhooks.apiBase = () => `${baseUrl()}${XERO_API_PREFIX}`;
  registerXeroOAuthRoutes(router, state, baseUrl);
  registerXeroApiRoutes(router, state);
  registerXeroAppPages(router, state);
  registerXeroControlRoutes(router, state);
}
