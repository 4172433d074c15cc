import type { ContactPage, RemoteContact } from '@ledgerlink/connector-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { connectToSandbox, oauth, type SandboxConnection } from './support/sandbox-connection.js';

/**
 * contacts.list after a checkpoint: QBO change data capture within 29 days, past its 1,000-object
 * cap, and a MetaData.LastUpdatedTime query for older checkpoints. The sandbox caps CDC answers
 * at 1,000 objects and refuses changedSince older than 30 days, as Intuit documents.
 */
let connection: SandboxConnection | undefined;
const run = Math.random().toString(36).slice(2, 8);

afterEach(async () => {
  await connection?.close();
  connection = undefined;
});

async function control(path: string, body: unknown): Promise<unknown> {
  if (!connection) throw new Error('not connected');
  const response = await fetch(`${connection.url}/_control/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Creates customers the way a person in QuickBooks would (not through the connector). */
async function createCustomers(label: string, count: number): Promise<string[]> {
  const tenant = connection?.tenant.id ?? '';
  const ids: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) => control(`qbo/companies/${tenant}/customers`, { DisplayName: `${label} ${run} ${start + i}` }));
    for (const created of await Promise.all(batch)) ids.push((created as { Id: string }).Id);
  }
  return ids;
}

async function readAll(checkpoint: string | undefined, pageSize: number): Promise<{ items: RemoteContact[]; checkpoint: string; pages: number }> {
  if (!connection) throw new Error('not connected');
  const items: RemoteContact[] = [];
  let next = checkpoint;
  for (let pages = 1; pages < 1000; pages += 1) {
    const page: ContactPage = await connection.session.contacts.list({ kind: 'customer', pageSize, ...(next !== undefined ? { checkpoint: next } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...page.items);
    next = page.checkpoint;
    if (!page.hasMore) return { items, checkpoint: page.checkpoint, pages };
  }
  throw new Error('contacts.list did not finish');
}

const sentSince = (from: number) => (connection?.http.sent.slice(from) ?? []).map((request) => decodeURIComponent(request.url.replace(/\+/g, ' ')));

describe('contacts.list incremental reads', () => {
  it('continues CDC past its 1,000-object cap from the last change delivered (cdcPastCap=continue)', async () => {
    connection = await connectToSandbox({ env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CDC_PAST_CAP: 'continue' } });
    const full = await readAll(undefined, 1000);
    const created: string[] = [];
    for (const chunk of [1, 2, 3]) {
      created.push(...(await createCustomers(`Wave ${chunk}`, 400)));
      await control('clock', { advanceSeconds: 2 });
    }
    const before = connection.http.sent.length;
    const later = await readAll(full.checkpoint, 500);
    const ids = later.items.map((c) => c.id);
    expect(new Set(ids).size, 'each change is delivered once').toBe(ids.length);
    expect([...ids].sort()).toEqual([...created].sort());
    const requests = sentSince(before);
    expect(requests.filter((url) => url.includes('/cdc?')).length).toBeGreaterThan(1);
    expect(requests.filter((url) => url.includes('MetaData.LastUpdatedTime'))).toEqual([]);
    // Nothing changed since: CDC answers only what was delivered.
    expect((await readAll(later.checkpoint, 500)).items).toEqual([]);
  }, 60_000);

  it('reports a customer merged away after the checkpoint as deleted, and its survivor as changed', async () => {
    connection = await connectToSandbox();
    const [loser, survivor] = await createCustomers('Merge Pair', 2);
    const full = await readAll(undefined, 1000);
    await control('clock', { advanceSeconds: 2 });
    await control(`qbo/companies/${connection.tenant.id}/customers/${loser ?? ''}/merge`, { intoId: survivor });
    const later = await readAll(full.checkpoint, 10);
    expect(later.items.map((c) => [c.id, c.status]).sort()).toEqual([
      [loser, 'deleted'],
      [survivor, 'active'],
    ].sort());
  }, 60_000);

  it('scans with a query when a CDC answer is full (the strict default), losing nothing', async () => {
    connection = await connectToSandbox();
    const full = await readAll(undefined, 1000);
    // 1,100 changes, the last 100 of them a moment later: however fast the machine, the newest
    // second holds fewer than CDC's 1,000, so the read after the scan can trust CDC again.
    const created = [...(await createCustomers('Flood', 1000))];
    await control('clock', { advanceSeconds: 2 });
    created.push(...(await createCustomers('Flood Tail', 100)));
    const before = connection.http.sent.length;
    const later = await readAll(full.checkpoint, 400);
    expect([...new Set(later.items.map((c) => c.id))].sort()).toEqual([...created].sort());
    const requests = sentSince(before);
    expect(requests[0]).toContain('/cdc?');
    expect(requests.some((url) => url.includes("MetaData.LastUpdatedTime >= '"))).toBe(true);
    // The next read, with few changes (a moment later), is CDC again.
    await control('clock', { advanceSeconds: 2 });
    const [one] = await createCustomers('After Flood', 1);
    const mark = connection.http.sent.length;
    const next = await readAll(later.checkpoint, 400);
    expect(next.items.map((c) => c.id)).toEqual([one]);
    expect(sentSince(mark).filter((url) => !url.includes('/cdc?')), 'requests other than CDC').toEqual([]);
  }, 60_000);

  it('falls back to a MetaData.LastUpdatedTime query when the checkpoint is older than CDC reaches', async () => {
    // The host's clock follows the sandbox's, which the test moves a month on.
    let skewMs = 0;
    connection = await connectToSandbox({ clock: { now: () => new Date(Date.now() + skewMs) } });
    const full = await readAll(undefined, 1000);
    skewMs = await monthLater();
    const created = await createCustomers('Month Later', 3);
    const before = connection.http.sent.length;
    const later = await readAll(full.checkpoint, 2);
    expect(later.items.map((c) => c.id).sort()).toEqual([...created].sort());
    const requests = sentSince(before);
    expect(requests.filter((url) => url.includes('/cdc?'))).toEqual([]);
    expect(requests.every((url) => url.includes("MetaData.LastUpdatedTime >= '"))).toBe(true);
    expect(later.pages, "the query is paged (STARTPOSITION) at pageSize").toBeGreaterThan(1);
  }, 60_000);

  it('also falls back when QuickBooks refuses the changedSince its own clock finds too old', async () => {
    connection = await connectToSandbox();
    const full = await readAll(undefined, 1000);
    await monthLater();
    const created = await createCustomers('Skewed Clock', 2);
    const before = connection.http.sent.length;
    const later = await readAll(full.checkpoint, 10);
    expect(later.items.map((c) => c.id).sort()).toEqual([...created].sort());
    expect(sentSince(before).map((url) => (url.includes('/cdc?') ? 'cdc' : 'query'))).toEqual(['cdc', 'query']);
  }, 60_000);
});

/** Moves the sandbox a month on and refreshes the long-expired access token, as the host would; answers the sandbox's clock skew. */
async function monthLater(): Promise<number> {
  if (!connection) throw new Error('not connected');
  await control('clock', { advanceSeconds: 31 * 86_400 });
  connection.credentials = await oauth().refresh({ config: connection.config, credentials: connection.credentials });
  const response = await fetch(`${connection.url}/_control/clock`);
  const { now } = (await response.json()) as { now: string };
  return Date.parse(now) - Date.now();
}
