import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { approveConsent, sandboxConnectorEnv } from '@ledgerlink/sandbox';
import { createApp, type LedgerlinkApp } from '@ledgerlink/api/dist/app/create-app.js';
import { createTestDatabase, type TestDatabase } from '@ledgerlink/api/dist/database/test-database.js';
import { freePort } from './sandbox-process.js';

/** A host app's view of the hub: an API key, JSON in and out. */
export class HostClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 400)}`);
    return answer.body;
  }
}

export interface RunningHub {
  readonly client: HostClient;
  readonly connectionId: string;
  stop(): Promise<void>;
}

/** Runs `work` over `items` with `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await work(items[index] as T, index);
      }
    }),
  );
}

/**
 * The hub as it is deployed for throughput: the API in this process (role `api`) and `workers`
 * worker processes (`node apps/api/dist/worker.js`) on one Redis and a fresh PostgreSQL database,
 * connected to the sandbox company `realmId` through the consent page.
 */
export async function startHub(input: { readonly sandboxUrl: string; readonly realmId: string; readonly workers: number; readonly timeScale: number }): Promise<RunningHub> {
  const require = createRequire(import.meta.url);
  const apiDir = dirname(require.resolve('@ledgerlink/api/package.json'));
  const db: TestDatabase = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'll-bench-'));
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LEDGERLINK_QUEUE_PREFIX: `ll-bench-${randomBytes(4).toString('hex')}`,
    LEDGERLINK_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    // The hub paces by the provider's limits in provider time, as the sandbox scales them.
    LEDGERLINK_PROVIDER_TIME_SCALE: String(input.timeScale),
    ...sandboxConnectorEnv(input.sandboxUrl),
  };
  const port = await freePort();
  let app: LedgerlinkApp | undefined;
  const children: ChildProcess[] = [];
  try {
    app = await createApp({ role: 'api', database: db.database, env: { ...env, PORT: String(port), HOST: '127.0.0.1', LEDGERLINK_CONSOLE_URL: `http://127.0.0.1:${port}` } });
    const baseUrl = await app.listen();
    const password = randomBytes(12).toString('hex');
    await app.seed({ adminPassword: password, viewerPassword: randomBytes(12).toString('hex'), print: () => undefined });
    for (let i = 0; i < input.workers; i += 1) {
      children.push(spawn(process.execPath, [join(apiDir, 'dist', 'worker.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    const session = await signIn(baseUrl, password);
    const client = new HostClient(baseUrl, await session.createKey());
    // Connecting is a person's act in the console: the OAuth state is bound to their session.
    const created = await session.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
    const callback = await approveConsent(created.authorizeUrl, { choose: { realmId: input.realmId } });
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie: session.cookie } });
    if (!(back.headers.get('location') ?? '').includes(`connected=${created.connectionId}`)) throw new Error(`connecting QuickBooks went to ${back.headers.get('location') ?? back.status}`);
    const started = app;
    return {
      client,
      connectionId: created.connectionId,
      async stop() {
        await Promise.all(children.map((child) => stopChild(child)));
        await started.close();
        await db.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(children.map((child) => stopChild(child)));
    await app?.close();
    await db.drop();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Signs in as the seeded admin, as the host app's developer does once in the console. */
async function signIn(baseUrl: string, password: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@ledgerlink.local', password }),
  });
  if (!login.ok) throw new Error(`login answered ${login.status}`);
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const cookie = cookies.join('; ');
  const csrf = decodeURIComponent((cookies.find((c) => c.startsWith('ll_csrf=')) ?? '').slice('ll_csrf='.length));
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    cookie,
    post,
    /** An API key for the host app (`Authorization: Bearer <key>`). */
    createKey: async () => (await post<{ key: string }>('/api/v1/api-keys', { name: 'bench', role: 'admin' })).key,
  };
}
