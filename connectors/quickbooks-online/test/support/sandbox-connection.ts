import { approveConsent, startSandbox, sandboxConnectorEnv } from '@ledgerlink/sandbox';
import { collectConnectorEnv, type Clock, type ConnectorContext, type ConnectorSession, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import connector from '../../src/index.js';
import { parseQboConfig, type QboConfig } from '../../src/index.js';
import { fetchHttpClient, type RecordingHttpClient } from './fetch-http-client.js';

export const REDIRECT_URI = 'http://127.0.0.1:65535/connections/qbo/callback';

/** What the host does with its environment: `…_API_BASE_URL` → `apiBaseUrl`, then the connector's schema. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): QboConfig {
  return parseQboConfig(collectConnectorEnv(connector.id, env));
}

export function oauth(): OAuth2Auth<QboConfig> {
  if (connector.auth.type !== 'oauth2') throw new Error('The QuickBooks Online connector uses OAuth2');
  return connector.auth;
}

/** Plays the person on the sandbox's consent page (first company), returning the redirect URL. */
export const consent = approveConsent;

export interface SandboxConnection {
  readonly url: string;
  readonly config: QboConfig;
  readonly tenant: Tenant;
  credentials: Credentials;
  readonly http: RecordingHttpClient;
  readonly ctx: ConnectorContext<QboConfig>;
  readonly session: ConnectorSession;
  close(): Promise<void>;
}

/** Starts a seeded sandbox, connects a company through OAuth and opens a session on it. */
export async function connectToSandbox(options: { readonly env?: Readonly<Record<string, string>>; readonly clock?: Clock } = {}): Promise<SandboxConnection> {
  const sandbox = await startSandbox({ port: 0, seedDemo: true });
  try {
    const config = configFromEnv({ ...sandboxConnectorEnv(sandbox.url), ...options.env });
    const state = `state-${Math.random().toString(36).slice(2)}`;
    const callback = await consent(await oauth().authorizeUrl({ config, state, redirectUri: REDIRECT_URI }));
    if (callback.searchParams.get('state') !== state) throw new Error(`The sandbox returned state ${callback.searchParams.get('state')}, expected ${state}`);
    const { credentials, tenants } = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() });
    const tenant = tenants[0];
    if (!tenant) throw new Error('The exchange returned no tenant');
    const holder = { credentials };
    const http = fetchHttpClient(() => holder.credentials);
    const ctx: ConnectorContext<QboConfig> = {
      config,
      tenantId: tenant.id,
      credentials: () => holder.credentials,
      http,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: options.clock ?? { now: () => new Date() },
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
      close: async () => {
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
