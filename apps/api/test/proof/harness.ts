// The hub as the proof suites run it: sandbox, a throwaway PostgreSQL database, a unique Redis
// prefix, API and processors in-process, every log line captured; plus database snapshots.
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { createApp, type LedgerlinkApp } from '../../src/app/create-app.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import { connectPostgres } from '../../src/database/postgres-connection.js';
import { createTestDatabase, type TestDatabase } from '../../src/database/test-database.js';
import { JobQueue } from '../../src/queue/job-queue.service.js';
import { SeedService } from '../../src/seed/seed.service.js';
import fc from 'fast-check';
import { type RouteDef, routes } from '@ledgerlink/contract';
import { nearValid, unstorablePaths } from './route-inputs.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from '../helpers.js';

export const AU_REALM = '9341452713046892';
export const ADMIN = { email: 'admin@ledgerlink.local', password: 'proof-admin-password-7Q' };
export const VIEWER = { email: 'viewer@ledgerlink.local', password: 'proof-viewer-password-3K' };
export const OTHER = { email: 'owner@other.example', password: 'proof-other-password-9Z' };

export interface ProofHub {
  readonly sandbox: RunningSandbox;
  readonly testDb: TestDatabase;
  readonly hub: LedgerlinkApp;
  readonly baseUrl: string;
  /** Every line the hub logged (JSON, debug level), in order. */
  readonly logLines: string[];
  login(credentials: { email: string; password: string }): Promise<TestClient>;
  close(): Promise<void>;
}

export interface ProofHubOptions {
  /** Overrides of the connector environment (e.g. a token endpoint behind a recorder). */
  readonly connectorEnv?: (sandboxUrl: string) => Record<string, string> | Promise<Record<string, string>>;
}

/**
 * Starts the sandbox and the hub, seeds the demo workspace (owner `ADMIN`, `VIEWER`) and a second
 * workspace owned by `OTHER`.
 */
export async function startProofHub(name: string, options: ProofHubOptions = {}): Promise<ProofHub> {
  const [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  const dataDir = await mkdtemp(join(tmpdir(), `ll-proof-${name}-`));
  const logLines: string[] = [];
  let hub: LedgerlinkApp | undefined;
  try {
    hub = await createApp({
      role: 'all',
      database: testDb.database,
      logger: new JsonLogger('debug', {}, { write: (line) => void logLines.push(line) }),
      env: {
        PORT: String(await freePort()),
        DATABASE_URL: testDb.url,
        LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        LEDGERLINK_QUEUE_PREFIX: uniquePrefix(`proof-${name}`),
        LEDGERLINK_DATA_DIR: dataDir,
        LOG_LEVEL: 'debug',
        ...(await (options.connectorEnv ?? sandboxConnectorEnv)(sandbox.url)),
      },
    });
    const baseUrl = await hub.listen();
    await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER.password, print: () => undefined });
    await hub.get(SeedService).createWorkspaceWithOwner({ workspaceName: 'Other Co', email: OTHER.email, name: 'Other Owner', password: OTHER.password });
    const started = hub;
    return {
      sandbox,
      testDb,
      hub: started,
      baseUrl,
      logLines,
      async login(credentials) {
        const client = new TestClient(baseUrl);
        const response = await client.post('/api/v1/auth/login', credentials);
        if (response.status !== 200) throw new Error(`login as ${credentials.email} answered ${response.status}: ${JSON.stringify(response.body)}`);
        return client;
      },
      async close() {
        await started.get(JobQueue).removeAllJobs();
        await started.close();
        await Promise.all([testDb.drop(), sandbox.close(), rm(dataDir, { recursive: true, force: true })]);
      },
    };
  } catch (error) {
    await hub?.close().catch(() => undefined);
    await Promise.all([testDb.drop(), sandbox.close(), rm(dataDir, { recursive: true, force: true })]);
    throw error;
  }
}

/** Columns that legitimately change when something is only read (a key's last use). */
const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = { ApiKey: ['lastUsedAt'] };

export type Snapshot = Readonly<Record<string, { readonly rows: number; readonly hash: string }>>;

async function tableNames(client: Awaited<ReturnType<typeof connectPostgres>>): Promise<string[]> {
  const result = await client.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name",
  );
  return result.rows.map((row) => row.table_name);
}

/** Row count and a hash of every row's content, per table (volatile columns left out), in one query. */
export async function snapshotDatabase(url: string): Promise<Snapshot> {
  const client = await connectPostgres(url, 'TEST_DATABASE_URL');
  try {
    const columns = await client.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations') ORDER BY table_name, ordinal_position",
    );
    const byTable = new Map<string, string[]>();
    for (const { table_name: table, column_name: column } of columns.rows) {
      if ((VOLATILE_COLUMNS[table] ?? []).includes(column)) continue;
      byTable.set(table, [...(byTable.get(table) ?? []), column]);
    }
    const parts = [...byTable].map(
      ([table, kept]) =>
        `SELECT '${table}' AS name, count(*)::int AS rows, coalesce(md5(string_agg(r, E'\\n' ORDER BY r)), '') AS hash FROM (SELECT ROW(${kept.map((c) => `"${c}"`).join(', ')})::text AS r FROM "${table}") t`,
    );
    const result = await client.query<{ name: string; rows: number; hash: string }>(parts.join(' UNION ALL '));
    return Object.fromEntries(result.rows.map((row) => [row.name, { rows: row.rows, hash: row.hash }]));
  } finally {
    await client.end();
  }
}

/** Every row of every table as text (`SELECT * FROM each table`), one line per row. */
export async function dumpDatabase(url: string): Promise<string> {
  const client = await connectPostgres(url, 'TEST_DATABASE_URL');
  try {
    const lines: string[] = [];
    for (const table of await tableNames(client)) {
      const result = await client.query<{ r: string }>(`SELECT t::text AS r FROM "${table}" t`);
      for (const row of result.rows) lines.push(`${table} ${row.r}`);
    }
    return lines.join('\n');
  } finally {
    await client.end();
  }
}

/** Tables whose snapshot differs between `before` and `after`. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}

/** Ids of the demo workspace's data, by what they identify. */
export interface WorldIds {
  connectionId: string;
  contactId: string;
  externalId: string;
  uploadId: string;
  pullId: string;
  runId: string;
  apiKeyId: string;
  apiKey: string;
}

/**
 * Gives the demo workspace one of everything through the API as its owner would: a QuickBooks
 * Online connection, a contact, a finished upload, pull and matching run, and an API key.
 * Waits until every background job has finished, so nothing changes by itself afterwards.
 */
export async function buildWorld(admin: TestClient): Promise<WorldIds> {
  const connectionId = await connectQuickBooks(admin, AU_REALM);
  const externalId = 'proof-contact-1';
  const contact = await admin.put<{ id: string }>(`/api/v1/contacts/${externalId}`, { kind: 'customer', displayName: 'Proof Wombat Pty Ltd', email: 'ap@wombat-proof.example' });
  if (contact.status !== 200) throw new Error(`upsert answered ${contact.status}: ${JSON.stringify(contact.body)}`);
  const settled = (state: string) => state === 'completed' || state === 'failed';
  const upload = await admin.post<{ uploadId: string }>(`/api/v1/connections/${connectionId}/uploads`, { contactIds: [contact.body.id] });
  await waitFor(() => admin.get<{ state: string }>(`/api/v1/connections/${connectionId}/uploads/${upload.body.uploadId}`), (r) => settled(r.body.state));
  const pull = await admin.post<{ pullId: string }>(`/api/v1/connections/${connectionId}/pull`);
  await waitFor(() => admin.get<{ state: string }>(`/api/v1/connections/${connectionId}/pulls/${pull.body.pullId}`), (r) => settled(r.body.state));
  const run = await admin.post<{ runId: string }>(`/api/v1/connections/${connectionId}/matching/run`);
  await waitFor(() => admin.get<{ state: string }>(`/api/v1/connections/${connectionId}/matching/runs/${run.body.runId}`), (r) => settled(r.body.state));
  const key = await admin.post<{ id: string; key: string }>('/api/v1/api-keys', { name: 'Proof host app', role: 'admin' });
  if (key.status !== 201) throw new Error(`api key answered ${key.status}: ${JSON.stringify(key.body)}`);
  await seedUpserts(admin, externalId);
  return { connectionId, contactId: contact.body.id, externalId, uploadId: upload.body.uploadId, pullId: pull.body.pullId, runId: run.body.runId, apiKeyId: key.body.id, apiKey: key.body.key };
}

/**
 * Waits until the database stops changing by itself (background jobs started by connecting or
 * by `buildWorld` have finished): three snapshots in a row, 400 ms apart, are the same.
 */
export async function waitForQuietDatabase(url: string): Promise<Snapshot> {
  let previous = await snapshotDatabase(url);
  let same = 0;
  const deadline = Date.now() + 30_000;
  while (same < 2) {
    if (Date.now() > deadline) throw new Error('the database kept changing for 30 s after the last request');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const next = await snapshotDatabase(url);
    same = changedTables(previous, next).length === 0 ? same + 1 : 0;
    previous = next;
  }
  return previous;
}

/**
 * A real id of the demo workspace for parameter `name` of `path` (by the segment before it), or
 * undefined when the world has none of that kind.
 */
export function realIdFor(path: string, name: string, world: WorldIds): string | undefined {
  const segments = path.split('/');
  const index = segments.indexOf(`:${name}`);
  const before = segments[index - 1] ?? '';
  if (name === 'externalId') return world.externalId;
  if (name === 'contactId') return world.contactId;
  if (name === 'uploadId') return world.uploadId;
  if (name === 'pullId') return world.pullId;
  if (name === 'runId' && before === 'runs' && segments[index - 2] === 'matching') return world.runId;
  if (name === 'connectionId') return world.connectionId;
  if (name === 'id') {
    if (before === 'connections') return world.connectionId;
    if (before === 'contacts') return world.contactId;
    if (before === 'api-keys') return world.apiKeyId;
    if (before === 'uploads') return world.uploadId;
    if (before === 'pulls') return world.pullId;
    if (before === 'runs') return world.runId;
  }
  return undefined;
}

export interface TokenRecorder {
  /** Base URL to use in place of the sandbox's for the token endpoint. */
  readonly url: string;
  /** Every access and refresh token the provider answered, as it sent them. */
  readonly tokens: Set<string>;
  close(): Promise<void>;
}

/**
 * A loopback pass-through in front of the sandbox that keeps every `access_token` and
 * `refresh_token` the provider's token endpoint answers: the secrets as issued on the wire,
 * whatever the hub later does with them.
 */
export async function startTokenRecorder(targetUrl: string): Promise<TokenRecorder> {
  const target = new URL(targetUrl);
  const tokens = new Set<string>();
  const server = createServer((incoming, outgoing) => {
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          try {
            const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
            for (const key of ['access_token', 'refresh_token']) if (typeof json[key] === 'string') tokens.add(json[key]);
          } catch {
            // not a token answer
          }
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(body);
        });
      },
    );
    forward.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Real ids for every path parameter of every route: `realIdFor` where the world knows the kind,
 * else the first item of the route's own list route (`GET` of the path up to the parameter), so
 * routes added later get real ids too once the workspace has such data. Missing ones are left out.
 */
export async function harvestIds(
  client: TestClient,
  world: WorldIds,
  table: Readonly<Record<string, RouteDef>>,
): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>();
  for (const [name, route] of Object.entries(table)) {
    const values: Record<string, string> = {};
    for (const param of [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '')) {
      const chosen = choiceOf(route, param);
      if (chosen !== undefined) {
        // A parameter from a fixed set (an entity name, a kind): any of its values is real.
        values[param] = chosen;
        continue;
      }
      const known = realIdFor(route.path, param, world);
      if (known !== undefined) {
        values[param] = known;
        continue;
      }
      const prefix = route.path.slice(0, route.path.indexOf(`:${param}`) - 1);
      const list = Object.values(table).find((r) => r.method === 'GET' && r.path === prefix);
      const needed = [...prefix.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
      if (!list || needed.some((p) => values[p] === undefined)) continue;
      const answer = await client.get<unknown>(prefix.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) => encodeURIComponent(values[p] ?? '')));
      const items: unknown = Array.isArray(answer.body) ? answer.body : (answer.body as { items?: unknown } | null)?.items;
      const first = Array.isArray(items) ? (items[0] as Record<string, unknown> | undefined) : undefined;
      const id = first?.id ?? first?.[param];
      if (typeof id === 'string') values[param] = id;
    }
    result.set(name, values);
  }
  return result;
}

/**
 * Every other "create or update by the host app's id" route of the table (`PUT …/:externalId`)
 * gets one record, from a body its schema accepts (a `contactExternalId` field points at the
 * world's contact), so routes over such records are exercised with real ids.
 */
async function seedUpserts(admin: TestClient, contactExternalId: string): Promise<void> {
  for (const [name, route] of Object.entries(routes) as [string, RouteDef][]) {
    if (name === 'upsertContact' || route.method !== 'PUT' || !route.path.endsWith('/:externalId') || !route.body) continue;
    const schema = route.body;
    const candidates = fc.sample(nearValid(schema), { numRuns: 300, seed: 5 }).map((value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && 'contactExternalId' in value ? { ...value, contactExternalId } : value,
    );
    let tries = 0;
    for (const body of candidates) {
      if (body === undefined || !schema.safeParse(body).success || unstorablePaths(body).length > 0) continue;
      const answer = await admin.put(route.path.replace(':externalId', `proof-${name}-1`), body);
      if (answer.status < 300 || (tries += 1) >= 5) break;
    }
  }
}

/** The first allowed value of a path parameter whose schema is an enum or a literal. */
function choiceOf(route: RouteDef, param: string): string | undefined {
  const shape = (route.params as unknown as { shape?: Record<string, { _zod: { def: { type: string; entries?: Record<string, unknown>; values?: unknown[] } } }> } | undefined)?.shape;
  const def = shape?.[param]?._zod.def;
  const first = def?.type === 'enum' ? Object.values(def.entries ?? {})[0] : def?.type === 'literal' ? def.values?.[0] : undefined;
  return typeof first === 'string' ? first : undefined;
}
