import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { ActivityPage, type ApiError, ConnectionSettingsView, type ContactView, MappingDetail, MappingPreviewView, MappingVersionList, type UploadStatus } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'mapping-admin-password' };
const VIEWER = { email: 'viewer@ledgerlink.local', password: 'mapping-viewer-password' };

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let baseUrl: string;
let admin: TestClient;
let viewer: TestClient;
let connectionId: string;
let contactId: string;

async function login(credentials: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient(baseUrl);
  const response = await client.post('/api/v1/auth/login', credentials);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return client;
}

const path = (suffix = ''): string => `/api/v1/connections/${connectionId}/mappings/customer${suffix}`;

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-mapping-'));
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    env: {
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('mapping'),
      LEDGERLINK_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...sandboxConnectorEnv(sandbox.url),
    },
  });
  baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, viewerPassword: VIEWER.password, print: () => undefined });
  [admin, viewer] = await Promise.all([login(ADMIN), login(VIEWER)]);
  connectionId = await connectQuickBooks(admin, US_REALM);
  const contact = await admin.put<ContactView>('/api/v1/contacts/map-1', {
    kind: 'customer', displayName: '  Numbat Mapping Co  ', email: 'Accounts@Numbat.example', phone: '02 9999 0000',
  });
  expect(contact.status, JSON.stringify(contact.body)).toBe(200);
  contactId = contact.body.id;
}, 60_000);

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([sandbox?.close(), testDb?.drop()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('field mappings', () => {
  it("answers the connector's default with its catalog before anything is saved", async () => {
    const response = await viewer.get(path());
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const detail = MappingDetail.parse(response.body);
    expect(detail.isDefault).toBe(true);
    expect(detail.current.version).toBe(0);
    expect(detail.catalog.find((f) => f.id === 'DisplayName')).toMatchObject({ required: true, maxLength: 500 });
    expect(detail.current.rules).toEqual(detail.defaults);
    expect(detail.defaults.find((r) => r.target === 'PrimaryEmailAddr.Address')).toMatchObject({ source: 'emails[primary]', enabled: true });
  });

  it('refuses a mapping that turns off a required field or names an unknown one, naming the field, and saves nothing', async () => {
    const { body } = await admin.get<MappingDetail>(path());
    const rules = body.defaults.map((r) => (r.target === 'DisplayName' ? { ...r, enabled: false } : r));
    const refused = await admin.put<ApiError>(path(), { rules: [...rules, { source: 'companyName', target: 'NoSuchField', enabled: true, direction: 'out', transform: { kind: 'none' } }] });
    expect(refused.status).toBe(400);
    const fields = refused.body.error.fields?.map((f) => f.path) ?? [];
    expect(fields).toContain('DisplayName');
    expect(fields).toContain('NoSuchField');
    const versions = MappingVersionList.parse((await admin.get(path('/versions'))).body);
    expect(versions.items).toHaveLength(0);
  });

  it('previews what a change would send for local contacts without saving it', async () => {
    const { body } = await admin.get<MappingDetail>(path());
    const rules = body.defaults.map((r) => (r.target === 'PrimaryEmailAddr.Address' ? { ...r, transform: { kind: 'lower' as const } } : r));
    expect((await viewer.post(path('/preview'), { rules })).status).toBe(403);
    const response = await admin.post(path('/preview'), { rules, contactIds: [contactId] });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const preview = MappingPreviewView.parse(response.body);
    expect(preview.mappingProblems).toEqual([]);
    expect(preview.records).toHaveLength(1);
    expect(preview.records[0]?.changes).toEqual([{ field: 'PrimaryEmailAddr.Address', change: 'changed', before: 'Accounts@Numbat.example', after: 'accounts@numbat.example' }]);
    expect(preview.summary).toEqual({ records: 1, changed: 1, withNewProblems: 0 });
    expect(MappingVersionList.parse((await admin.get(path('/versions'))).body).items).toHaveLength(0);
  });

  it('saves versions that take effect now, keeps the history and audits each save', async () => {
    const { body } = await admin.get<MappingDetail>(path());
    const withoutPhone = body.defaults.map((r) => (r.target === 'PrimaryPhone.FreeFormNumber' ? { ...r, enabled: false } : r));
    const first = await admin.put<MappingDetail>(path(), { rules: withoutPhone });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ isDefault: false, current: { version: 1 } });
    const second = await admin.put<MappingDetail>(path(), { rules: body.defaults });
    expect(second.body.current.version).toBe(2);
    const current = MappingDetail.parse((await viewer.get(path())).body);
    expect(current.current.version).toBe(2);
    expect(current.current.rules.find((r) => r.target === 'PrimaryPhone.FreeFormNumber')?.enabled).toBe(true);
    const versions = MappingVersionList.parse((await viewer.get(path('/versions'))).body);
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.items[1]?.rules.find((r) => r.target === 'PrimaryPhone.FreeFormNumber')?.enabled).toBe(false);
    const audits = await testDb.database.prisma.auditLog.findMany({ where: { action: 'mapping.saved', entityId: connectionId } });
    expect(audits).toHaveLength(2);
  });

  it('an upload sends what the mapping in force allows: with the phone turned off, the sandbox customer gets no phone', async () => {
    const { body } = await admin.get<MappingDetail>(path());
    const withoutPhone = body.current.rules.map((r) => (r.target === 'PrimaryPhone.FreeFormNumber' ? { ...r, enabled: false } : r));
    expect((await admin.put(path(), { rules: withoutPhone })).status).toBe(200);
    const contact = await admin.put<ContactView>('/api/v1/contacts/map-2', { kind: 'customer', displayName: 'Phoneless Mapping Co', email: 'Hello@Phoneless.example', phone: '02 9999 1111' });
    const started = await admin.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds: [contact.body.id] });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await waitFor(
      async () => (await admin.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`)).body,
      (u) => u.state === 'completed' || u.state === 'failed',
    );
    expect(done.results).toEqual([expect.objectContaining({ ok: true, created: true })]);
    const customers = (await (await fetch(`${sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as Array<{ DisplayName: string; PrimaryPhone?: unknown; PrimaryEmailAddr?: { Address: string } }>;
    const created = customers.find((c) => c.DisplayName === 'Phoneless Mapping Co');
    expect(created?.PrimaryEmailAddr?.Address).toBe('Hello@Phoneless.example');
    expect(created?.PrimaryPhone).toBeUndefined();
    expect((await admin.put(path(), { rules: body.current.rules })).status).toBe(200);
  });

  it('lets viewers read but not save, and answers 404 for an entity the connector has no catalog for', async () => {
    const { body } = await admin.get<MappingDetail>(path());
    expect((await viewer.put(path(), { rules: body.defaults })).status).toBe(403);
    const unknown = await admin.get<ApiError>(`/api/v1/connections/${connectionId}/mappings/spaceship`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('customer');
  });
});

describe('connection settings', () => {
  const settingsPath = (): string => `/api/v1/connections/${connectionId}/settings`;
  const wanted = {
    schedule: { type: 'cron', expression: '0 2 * * *' },
    displayNameCollision: 'suffix',
    documentDefaults: { itemCode: 'SERVICES', accountCode: null },
    conflictPolicy: 'newest_wins',
  };

  it('answers the defaults for a connection never configured', async () => {
    const response = await viewer.get(settingsPath());
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(ConnectionSettingsView.parse(response.body).settings).toEqual({
      schedule: { type: 'off' }, displayNameCollision: 'link_if_same_person', documentDefaults: { itemCode: null, accountCode: null }, conflictPolicy: 'hub_wins',
    });
  });

  it('saves valid settings, audits which ones changed, and reads them back', async () => {
    const saved = await admin.put(settingsPath(), wanted);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(ConnectionSettingsView.parse((await viewer.get(settingsPath())).body).settings).toEqual(wanted);
    const audit = await testDb.database.prisma.auditLog.findFirstOrThrow({ where: { action: 'connection.settings_changed', entityId: connectionId } });
    expect(audit.details).toEqual({ changed: ['schedule', 'displayNameCollision', 'documentDefaults', 'conflictPolicy'] });
  });

  it('refuses bad settings naming the field, and keeps what was stored', async () => {
    const tooOften = await admin.put<ApiError>(settingsPath(), { ...wanted, schedule: { type: 'interval', minutes: 1 } });
    expect(tooOften.status).toBe(400);
    expect(tooOften.body.error.fields?.[0]?.path).toBe('schedule.minutes');
    const badCron = await admin.put<ApiError>(settingsPath(), { ...wanted, schedule: { type: 'cron', expression: 'nightly' } });
    expect(badCron.status).toBe(400);
    expect(badCron.body.error.fields?.[0]?.path).toBe('schedule.expression');
    const unknown = await admin.put<ApiError>(settingsPath(), { ...wanted, surprise: true });
    expect(unknown.status).toBe(400);
    expect((await viewer.put(settingsPath(), wanted)).status).toBe(403);
    expect(ConnectionSettingsView.parse((await viewer.get(settingsPath())).body).settings).toEqual(wanted);
  });
});

describe('activity', () => {
  it('lists the audit trail newest first, filtered by action and entity, in keyset pages that neither repeat nor skip', async () => {
    const all = ActivityPage.parse((await viewer.get(`/api/v1/activity?entityType=connection&entityId=${connectionId}&limit=200`)).body);
    const saves = all.items.filter((e) => e.action === 'mapping.saved');
    expect(saves.map((e) => e.details.version)).toEqual([4, 3, 2, 1]);
    expect(all.items.some((e) => e.action === 'connection.settings_changed')).toBe(true);
    expect(all.items.map((e) => e.at)).toEqual([...all.items.map((e) => e.at)].sort().reverse());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = ActivityPage.parse((await viewer.get(`/api/v1/activity?entityType=connection&entityId=${connectionId}&limit=1${query}`)).body);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));

    const onlyMapping = ActivityPage.parse((await viewer.get('/api/v1/activity?action=mapping.saved')).body);
    expect(onlyMapping.items.map((e) => e.id)).toEqual(saves.map((e) => e.id));
    const future = ActivityPage.parse((await viewer.get(`/api/v1/activity?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body);
    expect(future.items).toEqual([]);
  });

  it('refuses a cursor it did not give out, naming the field', async () => {
    const response = await viewer.get<ApiError>('/api/v1/activity?cursor=bm9wZQ');
    expect(response.status).toBe(400);
    expect(response.body.error.fields?.[0]?.path).toBe('cursor');
  });
});
