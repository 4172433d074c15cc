import { approveConsent, hubspotSignatureV3, sandboxHubspotConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { createTestHttpClient, type TestHttpClient } from '@ledgerlink/connector-sdk/testing';
import { collectConnectorEnv, type ChangeOperation, type ConnectorContext, type ConnectorSession, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import connector from '../../src/index.js';
import { parseHubspotConfig, type HubspotConfig } from '../../src/index.js';

export const REDIRECT_URI = 'http://127.0.0.1:65535/connections/hubspot/callback';
export const WEBHOOK_URL = 'https://ledgerlink.example/webhooks/hubspot?connection=1';

/** What the host does with its environment: `…_API_BASE_URL` → `apiBaseUrl`, then the connector's schema. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): HubspotConfig {
  return parseHubspotConfig(collectConnectorEnv(connector.id, env));
}

export function oauth(): OAuth2Auth<HubspotConfig> {
  if (connector.auth.type !== 'oauth2') throw new Error('The HubSpot connector uses OAuth2');
  return connector.auth;
}

/** Plays the person on the sandbox's install page (first portal), returning the redirect URL. */
export const consent = approveConsent;

export interface SandboxConnection {
  readonly url: string;
  readonly config: HubspotConfig;
  readonly tenant: Tenant;
  credentials: Credentials;
  readonly http: TestHttpClient;
  readonly ctx: ConnectorContext<HubspotConfig>;
  readonly session: ConnectorSession;
  /** POSTs to the sandbox's control API (`/_control/<path>`). */
  control(path: string, body?: unknown): Promise<unknown>;
  /** GETs from the sandbox's control API. */
  inspect(path: string): Promise<unknown>;
  /** `/_control/hubspot/portals/<tenant>/<path>`. */
  portalPath(path: string): string;
  close(): Promise<void>;
}

/** HubSpot's webhook body for one contact event, as the sandbox's dispatcher sends it. */
export function webhookBody(portalId: string, input: { id: string; operation: ChangeOperation; survivorId?: string }): string {
  const base = { eventId: 1, subscriptionId: 1, portalId: Number(portalId), appId: 1, occurredAt: Date.now(), attemptNumber: 0, changeSource: 'CRM_UI', sourceId: 'userId:1' };
  const objectId = Number(input.id) || input.id;
  switch (input.operation) {
    case 'merge': {
      const survivor = Number(input.survivorId) || input.survivorId;
      return JSON.stringify([{ ...base, subscriptionType: 'contact.merge', objectId: survivor, primaryObjectId: survivor, mergedObjectIds: [survivor, objectId], newObjectId: survivor, numberOfPropertiesMoved: 0 }]);
    }
    case 'create':
      return JSON.stringify([{ ...base, subscriptionType: 'contact.creation', objectId }]);
    case 'delete':
    case 'archive':
      return JSON.stringify([{ ...base, subscriptionType: 'contact.deletion', objectId, changeFlag: 'DELETED' }]);
    case 'update':
    case 'inactivate':
      return JSON.stringify([{ ...base, subscriptionType: 'contact.propertyChange', objectId, propertyName: 'phone', propertyValue: '+1 555 0100' }]);
  }
}

/** The headers the sandbox signs a delivery with (v3), at `timestampMs`. */
export function signedHeaders(secret: string, rawBody: string, url: string, timestampMs = Date.now()): Record<string, string> {
  const timestamp = String(timestampMs);
  return { 'x-hubspot-signature-v3': hubspotSignatureV3(secret, 'POST', url, rawBody, timestamp), 'x-hubspot-request-timestamp': timestamp, 'content-type': 'application/json' };
}

/** Starts a seeded sandbox, installs the app on its demo portal through OAuth and opens a session on it. */
export async function connectToSandbox(): Promise<SandboxConnection> {
  const sandbox = await startSandbox({ port: 0, seedDemo: true });
  const call = async (method: 'GET' | 'POST', path: string, body: unknown = {}): Promise<unknown> => {
    const response = await fetch(`${sandbox.url}/_control/${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  const control = (path: string, body?: unknown) => call('POST', path, body);
  try {
    // The host's rate budget keeps a real connection under HubSpot's limits; these tests use a
    // plain HTTP client, so the sandbox's limiter is turned off (429s are injected on purpose).
    await control('limits', { enabled: false });
    const config = configFromEnv(sandboxHubspotConnectorEnv(sandbox.url));
    const state = `state-${Math.random().toString(36).slice(2)}`;
    const callback = await consent(await oauth().authorizeUrl({ config, state, redirectUri: REDIRECT_URI }));
    if (callback.searchParams.get('state') !== state) throw new Error(`The sandbox returned state ${callback.searchParams.get('state')}, expected ${state}`);
    const { credentials, tenants } = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() });
    const tenant = tenants[0];
    if (!tenant) throw new Error('The exchange returned no tenant');
    const holder = { credentials };
    const http = createTestHttpClient(() => holder.credentials);
    const ctx: ConnectorContext<HubspotConfig> = {
      config,
      tenantId: tenant.id,
      credentials: () => holder.credentials,
      http,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => new Date() },
    };
    const session = await connector.connect(ctx);
    return {
      url: sandbox.url,
      config,
      tenant,
      get credentials() {
        return holder.credentials;
      },
      set credentials(next: Credentials) {
        holder.credentials = next;
      },
      http,
      ctx,
      session,
      control,
      inspect: (path) => call('GET', path),
      portalPath: (path) => `hubspot/portals/${encodeURIComponent(tenant.id)}/${path}`,
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
