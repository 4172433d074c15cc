import { approveConsent, startSandbox, sandboxXeroConnectorEnv } from '@ledgerlink/sandbox';
import { createTestHttpClient, type TestHttpClient } from '@ledgerlink/connector-sdk/testing';
import { collectConnectorEnv, type ConnectorContext, type ConnectorSession, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import connector from '../../src/index.js';
import { parseXeroConfig, type XeroConfig } from '../../src/index.js';

export const REDIRECT_URI = 'http://127.0.0.1:65535/connections/xero/callback';

/** What the host does with its environment: `…_API_BASE_URL` → `apiBaseUrl`, then the connector's schema. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): XeroConfig {
  return parseXeroConfig(collectConnectorEnv(connector.id, env));
}

export function oauth(): OAuth2Auth<XeroConfig> {
  if (connector.auth.type !== 'oauth2') throw new Error('The Xero connector uses OAuth2');
  return connector.auth;
}

/** Plays the person on the sandbox's consent page (first company), returning the redirect URL. */
export const consent = approveConsent;

export interface SandboxConnection {
  readonly url: string;
  readonly config: XeroConfig;
  readonly tenant: Tenant;
  credentials: Credentials;
  readonly http: TestHttpClient;
  readonly ctx: ConnectorContext<XeroConfig>;
  readonly session: ConnectorSession;
  /** POSTs to the sandbox's control API (`/_control/<path>`). */
  control(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts a seeded sandbox, connects its first Xero organisation through OAuth and opens a session on it. */
export async function connectToSandbox(): Promise<SandboxConnection> {
  const sandbox = await startSandbox({ port: 0, seedDemo: true });
  const control = async (path: string, body: unknown = {}): Promise<unknown> => {
    const response = await fetch(`${sandbox.url}/_control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  try {
    // The host's rate budget keeps a real connection under Xero's 60 calls a minute; these tests
    // use a plain HTTP client, so the sandbox's limiter is turned off (429s are injected on purpose).
    await control('limits', { enabled: false });
    const config = configFromEnv(sandboxXeroConnectorEnv(sandbox.url));
    const state = `state-${Math.random().toString(36).slice(2)}`;
    const callback = await consent(await oauth().authorizeUrl({ config, state, redirectUri: REDIRECT_URI }));
    if (callback.searchParams.get('state') !== state) throw new Error(`The sandbox returned state ${callback.searchParams.get('state')}, expected ${state}`);
    const { credentials, tenants } = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() });
    const tenant = tenants[0];
    if (!tenant) throw new Error('The exchange returned no tenant');
    const holder = { credentials };
    const http = createTestHttpClient(() => holder.credentials);
    const ctx: ConnectorContext<XeroConfig> = {
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
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
