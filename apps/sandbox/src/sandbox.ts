import type { AddressInfo } from 'node:net';
import { registerControlRoutes } from './control/control.routes.js';
import { registerHubspotApiRoutes } from './hubspot/api.routes.js';
import { registerHubspotAppPages } from './hubspot/app-pages.js';
import { registerHubspotControlRoutes } from './hubspot/control.routes.js';
import { registerHubspotWebhookSettingsRoutes } from './hubspot/webhook-settings.routes.js';
import { registerHubspotOAuthRoutes } from './hubspot/oauth.routes.js';
import { registerQboApiRoutes } from './qbo/api.routes.js';
import { registerQboAppPages } from './qbo/app-pages.js';
import { registerQboOAuthRoutes } from './qbo/oauth.routes.js';
import { Router } from './router.js';
import { SandboxState } from './sandbox-state.js';
import { createSandboxServer } from './server.js';
import { registerXeroRoutes } from './xero/routes.js';

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Start with the demo companies, customers and vendors; default false (empty). */
  seedDemo?: boolean;
}

export interface RunningSandbox {
  /** Base URL, e.g. `http://127.0.0.1:43121` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** Starts the loopback sandbox (QuickBooks Online under /qbo, control API under /_control). */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be a whole number from 0 to 65535 (0 picks a free port); got ${String(port)}`);
  }
  const state = new SandboxState(options.seedDemo ?? false);
  let url = '';
  const baseUrl = (): string => url;
  const router = new Router();
  registerQboOAuthRoutes(router, state, baseUrl);
  registerQboApiRoutes(router, state);
  registerQboAppPages(router, state);
  registerHubspotOAuthRoutes(router, state);
  registerHubspotApiRoutes(router, state);
  registerHubspotAppPages(router, state);
  registerHubspotControlRoutes(router, state);
  registerHubspotWebhookSettingsRoutes(router, state);
  registerXeroRoutes(router, state, baseUrl);
  registerControlRoutes(router, state, baseUrl);

  const server = createSandboxServer(router, state.log, state.clock);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${shownHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        state.qboWebhooks.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
