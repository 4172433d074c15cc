import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { type ApiClient, createApiClient } from '@ledgerlink/api-client';
import type { ApiError, ContactView, MatchingRunStatus, MatchSuggestionView, UpsertContactRequest } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LedgerlinkApp } from '../src/app/create-app.js';
import { JobQueue } from '../src/queue/job-queue.service.js';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database.js';
import { connectQuickBooks, freePort, TestClient, uniquePrefix, waitFor } from './helpers.js';

const AU_REALM = '9341452713046892';
const ADMIN = { email: 'admin@ledgerlink.local', password: 'matching-admin-password' };

let sandbox: RunningSandbox;
let testDb: TestDatabase;
let hub: LedgerlinkApp;
let dataDir: string;
let api: ApiClient;
let admin: TestClient;
let connectionId: string;
const local: Record<'wren' | 'tom' | 'tomTwin', ContactView> = {} as Record<'wren' | 'tom' | 'tomTwin', ContactView>;

async function sandboxCustomerId(name: string): Promise<string> {
  const customers = (await (await fetch(`${sandbox.url}/_control/qbo/companies/${AU_REALM}/customers`)).json()) as { Id: string; DisplayName: string }[];
  const found = customers.find((c) => c.DisplayName === name);
  if (!found) throw new Error(`no sandbox customer ${name}`);
  return found.Id;
}

function upsert(externalId: string, body: UpsertContactRequest): Promise<ContactView> {
  return api.upsertContact(externalId, body);
}

async function runDone(runId: string): Promise<MatchingRunStatus> {
  return waitFor(() => api.getMatchingRun(connectionId, runId), (r) => r.state === 'completed' || r.state === 'failed');
}

async function pendingSuggestions(): Promise<MatchSuggestionView[]> {
  return (await api.listSuggestions(connectionId, { pageSize: 500 })).items;
}

function suggestionFor(list: readonly MatchSuggestionView[], contactId: string): MatchSuggestionView {
  const found = list.find((s) => s.contact.id === contactId);
  if (!found) throw new Error(`no suggestion for ${contactId}: ${JSON.stringify(list.map((s) => s.contact.displayName))}`);
  return found;
}

beforeAll(async () => {
  [sandbox, testDb] = await Promise.all([startSandbox({ port: 0, seedDemo: true }), createTestDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'll-api-matching-'));
  hub = await createApp({
    role: 'all',
    database: testDb.database,
    env: {
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url,
      LEDGERLINK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      LEDGERLINK_QUEUE_PREFIX: uniquePrefix('matching'),
      LEDGERLINK_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      ...sandboxConnectorEnv(sandbox.url),
    },
  });
  const baseUrl = await hub.listen();
  await hub.seed({ adminPassword: ADMIN.password, print: () => undefined });
  admin = new TestClient(baseUrl);
  expect((await admin.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  api = createApiClient({ baseUrl, headers: () => ({ cookie: `${admin.sessionCookie ?? ''}; ll_csrf=${admin.csrfToken ?? ''}` }), csrfToken: () => admin.csrfToken });
  // Host contacts written before the connection exists: the sandbox's Blue Wren Cafe (same person,
  // same e-mail), and Darling Harbour Events' Tom Nguyen entered twice in the host app.
  local.wren = await upsert('m-wren', { kind: 'customer', displayName: 'Blue Wren Cafe', companyName: 'Blue Wren Cafe', givenName: 'Lachlan', familyName: 'Murray', email: 'hello@bluewren.example.com' });
  local.tom = await upsert('m-tom', { kind: 'customer', displayName: 'Tom Nguyen', givenName: 'Tom', familyName: 'Nguyen', email: 'tom@dhevents.example.com' });
  local.tomTwin = await upsert('m-tom-2', { kind: 'customer', displayName: 'Nguyen, Tom', givenName: 'Tom', familyName: 'Nguyen', email: 'tom@dhevents.example.com' });
  connectionId = await connectQuickBooks(admin, AU_REALM);
});

afterAll(async () => {
  await hub?.get(JobQueue).removeAllJobs();
  await hub?.close();
  await Promise.all([testDb?.drop(), sandbox?.close(), dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined]);
});

describe('matching after the pull on connect', () => {
  it('links the host contact that is plainly the same sandbox customer, saying why', async () => {
    const run = await waitFor(
      () => testDb.database.prisma.syncRun.findFirst({ where: { connectionId, kind: 'contact_matching' }, orderBy: { createdAt: 'asc' } }),
      (r) => r?.state === 'completed' || r?.state === 'failed',
      30_000,
    );
    const status = await api.getMatchingRun(connectionId, run?.id ?? '');
    expect(status).toMatchObject({ state: 'completed', error: null });
    expect(status.autoLinked).toBeGreaterThanOrEqual(1);
    expect(status.suggested).toBeGreaterThanOrEqual(2);

    const detail = await api.getContact(local.wren.id);
    const link = detail.links.find((l) => l.connectionId === connectionId);
    expect(link).toMatchObject({ state: 'linked', linkedBy: 'auto', remoteId: await sandboxCustomerId('Blue Wren Cafe'), remoteName: 'Blue Wren Cafe' });
    expect(link?.events).toEqual([expect.objectContaining({ type: 'linked', actorType: 'system', reason: expect.stringContaining('Same e-mail (hello@bluewren.example.com)') })]);
    const stored = await testDb.database.prisma.contactLink.findFirstOrThrow({ where: { connectionId, contactId: local.wren.id } });
    expect(stored.score).toBeGreaterThanOrEqual(0.8);
  });

  it('leaves the ambiguous one for review: both host records of Tom Nguyen, with the candidate, score and reasons', async () => {
    const list = await pendingSuggestions();
    const tomRemote = await sandboxCustomerId('Darling Harbour Events');
    for (const contact of [local.tom, local.tomTwin]) {
      const suggestion = suggestionFor(list, contact.id);
      expect(suggestion.cause).toBe('contested');
      expect(suggestion.explanation).toBeTruthy();
      expect(suggestion.contact).toMatchObject({ id: contact.id, email: 'tom@dhevents.example.com' });
      expect(suggestion.candidates[0]).toMatchObject({ remoteId: tomRemote, name: 'Darling Harbour Events', status: 'active', passes: true });
      expect(suggestion.candidates[0]?.reasons).toContain('Same e-mail (tom@dhevents.example.com)');
      expect(suggestion.score).toBeGreaterThan(0);
    }
    for (const contact of [local.tom, local.tomTwin]) {
      expect((await api.getContact(contact.id)).links.filter((l) => l.state === 'linked')).toEqual([]);
    }
  });

  it('a second run on demand answers 202 with a run id and does not duplicate suggestions', async () => {
    const before = await pendingSuggestions();
    const started = await api.startMatching(connectionId);
    expect(started).toMatchObject({ connectionId, state: 'queued' });
    const done = await runDone(started.runId);
    expect(done).toMatchObject({ state: 'completed', autoLinked: 0, suggested: before.length });
    const after = await pendingSuggestions();
    expect(after.map((s) => s.contact.id).sort()).toEqual(before.map((s) => s.contact.id).sort());
    expect(new Set(after.map((s) => s.contact.id)).size).toBe(after.length);
    expect(await testDb.database.prisma.matchSuggestion.count({ where: { connectionId, state: 'pending' } })).toBe(before.length);
  });
});

describe('deciding suggestions', () => {
  it('accepting links through the link history; the other record of the same person is then refused with the reason', async () => {
    const list = await pendingSuggestions();
    const first = suggestionFor(list, local.tom.id);
    const twin = suggestionFor(list, local.tomTwin.id);
    const answer = await api.decideSuggestions(connectionId, {
      decisions: [
        { suggestionId: first.id, action: 'accept' },
        { suggestionId: twin.id, action: 'accept' },
        { suggestionId: 'no-such-suggestion', action: 'reject' },
      ],
    });
    const remoteId = first.candidates[0]?.remoteId ?? '';
    expect(answer.results[0]).toEqual({ suggestionId: first.id, ok: true, state: 'accepted', remoteId, error: null });
    expect(answer.results[1]).toMatchObject({ suggestionId: twin.id, ok: false, state: null });
    expect(answer.results[1]?.error).toContain("was linked to 'Tom Nguyen' meanwhile");
    expect(answer.results[2]).toMatchObject({ ok: false, error: expect.stringContaining('no suggestion no-such-suggestion') });

    const link = (await api.getContact(local.tom.id)).links.find((l) => l.connectionId === connectionId);
    expect(link).toMatchObject({ state: 'linked', linkedBy: 'suggestion', remoteId });
    expect(link?.events.at(-1)).toMatchObject({ type: 'linked', actorType: 'user', actorName: 'Demo Admin', reason: expect.stringContaining('Suggestion accepted by') });
    expect((await api.getContact(local.tomTwin.id)).links.filter((l) => l.state === 'linked')).toEqual([]);
  });

  it('rejecting removes it from review, and later runs do not propose the rejected pair again', async () => {
    const twin = suggestionFor(await pendingSuggestions(), local.tomTwin.id);
    const answer = await api.decideSuggestions(connectionId, { decisions: [{ suggestionId: twin.id, action: 'reject' }] });
    expect(answer.results).toEqual([{ suggestionId: twin.id, ok: true, state: 'rejected', remoteId: null, error: null }]);
    expect((await pendingSuggestions()).some((s) => s.contact.id === local.tomTwin.id)).toBe(false);
    const again = await api.decideSuggestions(connectionId, { decisions: [{ suggestionId: twin.id, action: 'accept' }] });
    expect(again.results[0]).toMatchObject({ ok: false, error: 'This suggestion was already rejected.' });

    const done = await runDone((await api.startMatching(connectionId)).runId);
    expect(done.state).toBe('completed');
    const pending = await pendingSuggestions();
    expect(pending.some((s) => s.contact.id === local.tomTwin.id || s.contact.id === local.tom.id)).toBe(false);
    const audit = await testDb.database.prisma.auditLog.findFirst({ where: { action: 'suggestion.rejected', entityId: local.tomTwin.id } });
    expect(audit).not.toBeNull();
  });

  it('refuses a bad decision naming the field', async () => {
    const response = await admin.post<ApiError>(`/api/v1/connections/${connectionId}/suggestions/decisions`, { decisions: [{ suggestionId: 'x', action: 'maybe' }] });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ path: 'decisions.0.action', message: "must be 'accept' or 'reject'" }]);
  });
});
