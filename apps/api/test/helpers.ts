import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { approveConsent, type RunningSandbox, sandboxConnectorEnv, sandboxHubspotConnectorEnv, sandboxXeroConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { QUEUES } from '../src/queue/queues.js';

/** A free loopback port (so the OAuth redirect URI can name the real port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function uniquePrefix(name: string): string {
  return `ll-test-${name}-${randomBytes(4).toString('hex')}`;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * A browser-like client: keeps the ll_session and ll_csrf cookies, sends the CSRF token as
 * X-CSRF-Token on changes like the console does (`csrf: false` leaves it out), never follows
 * redirects by itself.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  /** Send X-CSRF-Token on POST/PUT/DELETE (as the console does). */
  csrf = true;

  constructor(private readonly baseUrl: string) {}

  get sessionCookie(): string | undefined {
    const value = this.cookies.get('ll_session');
    return value === undefined ? undefined : `ll_session=${value}`;
  }

  get csrfToken(): string | undefined {
    return this.cookies.get('ll_csrf');
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const csrf = this.cookies.get('ll_csrf');
    if (this.csrf && csrf && method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(csrf);
    Object.assign(headers, extraHeaders);
    const response = await fetch(url, { method, headers, body: body === undefined ? null : JSON.stringify(body), redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';')[0] ?? '';
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (name !== 'll_session' && name !== 'll_csrf') continue;
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseText(text) as T };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

function parseText(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Waits until `read` returns a value `done` accepts (fails after `timeoutMs`). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

/**
 * Plays the person at the sandbox's QuickBooks consent page (the sandbox's own approveConsent),
 * choosing the company `realmId`; returns where the provider sends the browser back to.
 */
export async function consentInSandbox(authorizeUrl: string, realmId: string): Promise<string> {
  return (await approveConsent(authorizeUrl, { choose: { realmId } })).toString();
}

/** Connects QuickBooks Online through the sandbox consent page as `client`; returns the connection id. */
export async function connectQuickBooks(client: TestClient, realmId: string): Promise<string> {
  const created = await client.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
  if (created.status !== 201) throw new Error(`connect answered ${created.status}: ${JSON.stringify(created.body)}`);
  const callback = await consentInSandbox(created.body.authorizeUrl, realmId);
  const back = await client.get(callback);
  const location = back.headers.get('location') ?? '';
  if (!location.includes(`connected=${created.body.connectionId}`)) throw new Error(`callback went to ${location}`);
  return created.body.connectionId;
}

export interface HubOptions {
  /** Names the Redis queue prefix and the data directory (one per test file). */
  readonly name: string;
  /** Extra or overriding environment (connector settings, time scales, ...). */
  readonly env?: Record<string, string>;
  /** Which of the sandbox's providers the hub is configured for (default: all three). */
  readonly providers?: ReadonlyArray<'quickbooks-online' | 'xero' | 'hubspot'>;
  /** Passwords for the seeded admin@ledgerlink.local and viewer@ledgerlink.local users. */
  readonly adminPassword?: string;
  readonly viewerPassword?: string;
  /** Start a sandbox with the demo seed (default) or use one the test started. */
  readonly sandbox?: RunningSandbox;
  /** 'all' (default): API and processors in this process; 'api': HTTP only, for tests that run workers apart. */
  readonly role?: 'all' | 'api';
}

export interface TestHub {
  /** The environment the hub was started with (to start more processes of the same hub). */
  readonly env: Record<string, string>;
  readonly sandbox: RunningSandbox;
  readonly testDb: TestDatabase;
  readonly app: LedgerlinkApp;
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly adminPassword: string;
  readonly viewerPassword: string;
  /** A client signed in as the seeded admin. */
  readonly admin: TestClient;
  /** A new client signed in as `email` (the seeded viewer by default). */
  signIn(email?: string, password?: string): Promise<TestClient>;
  /** Empties the test's queues, closes the hub, drops the database, stops the sandbox it started. */
  close(): Promise<void>;
}

/**
 * The whole hub for one e2e file: a sandbox (seeded demo), a fresh PostgreSQL database, the API
 * and the worker in one process on a free port with its own queue prefix, seeded users, and an
 * admin client already signed in.
 */
export async function startHub(options: HubOptions): Promise<TestHub> {
  const providers = options.providers ?? ['quickbooks-online', 'xero', 'hubspot'];
  const ownSandbox = options.sandbox === undefined;
  const [sandbox, testDb] = await Promise.all([options.sandbox ?? startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  const dataDir = await mkdtemp(join(tmpdir(), `ll-api-${options.name}-`));
  const adminPassword = options.adminPassword ?? `admin-password-${options.name}`;
  const viewerPassword = options.viewerPassword ?? `viewer-password-${options.name}`;
  const env: Record<string, string> = {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: testDb.url,
    LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LEDGERLINK_QUEUE_PREFIX: uniquePrefix(options.name),
    LEDGERLINK_DATA_DIR: dataDir,
    LEDGERLINK_CONSOLE_URL: 'http://console.test',
    LOG_LEVEL: 'error',
    ...(providers.includes('quickbooks-online') ? sandboxConnectorEnv(sandbox.url) : {}),
    ...(providers.includes('xero') ? sandboxXeroConnectorEnv(sandbox.url) : {}),
    ...(providers.includes('hubspot') ? sandboxHubspotConnectorEnv(sandbox.url) : {}),
    ...options.env,
  };
  const app = await createApp({ role: options.role ?? 'all', database: testDb.database, env });
  const baseUrl = await app.listen();
  await app.seed({ adminPassword, viewerPassword, print: () => undefined });
  const signIn = async (email = 'viewer@ledgerlink.local', password = email === 'admin@ledgerlink.local' ? adminPassword : viewerPassword): Promise<TestClient> => {
    const client = new TestClient(baseUrl);
    const login = await client.post('/api/v1/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`sign-in as ${email} answered ${login.status}: ${JSON.stringify(login.body)}`);
    return client;
  };
  const admin = await signIn('admin@ledgerlink.local', adminPassword);
  return {
    env, sandbox, testDb, app, baseUrl, dataDir, adminPassword, viewerPassword, admin, signIn,
    async close() {
      // Every queue the app registered, including those with their own module (inbound, schedules).
      for (const name of Object.values(QUEUES)) {
        const queue = app.nest.get<Queue>(getQueueToken(name), { strict: false });
        await queue.obliterate({ force: true }).catch(() => undefined);
      }
      await app.close();
      await Promise.all([ownSandbox ? sandbox.close() : Promise.resolve(), testDb.drop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
