import { Contact, isConnectorError, type ContactInput, type RemoteContact } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qboString } from '../src/client.js';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);
const unique = (name: string) => `${name} ${run}`;
const contact = (input: ContactInput) => Contact.parse(input);

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

/** Calls the QBO API directly (the other side of the integration: a person editing in QuickBooks). */
async function qbo(method: 'GET' | 'POST', path: string, options: { query?: Record<string, string>; body?: unknown } = {}) {
  const response = await connection.http.request({
    method,
    url: `${connection.config.apiBaseUrl}/v3/company/${connection.tenant.id}/${path}`,
    query: { minorversion: 75, ...options.query },
    headers: { Accept: 'application/json' },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status} ${response.text}`);
  return response.body as Record<string, Record<string, unknown>>;
}

async function countCustomersNamed(displayName: string): Promise<number> {
  const body = await qbo('GET', 'query', { query: { query: `SELECT count(*) FROM Customer WHERE DisplayName = ${qboString(displayName)} AND Active IN (true, false)` } });
  return Number(body.QueryResponse?.totalCount ?? 0);
}

async function createCustomer(displayName: string, key = `create-${displayName}`): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: key, contact: contact({ kind: 'customer', displayName }) }]);
  if (!result?.ok) throw new Error(`create ${displayName} failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

describe('creating contacts', () => {
  it('creates a customer with every mapped field and reads it back the same', async () => {
    const input = contact({
      kind: 'customer',
      displayName: unique("King's Groceries"),
      givenName: 'James',
      familyName: 'King',
      companyName: 'King Groceries',
      emails: [{ address: 'jdrew@myemail.com' }],
      phones: [{ number: '(555) 555-5555' }, { number: '(555) 555-1111', type: 'mobile' }],
      addresses: [
        { type: 'billing', lines: ['123 Main Street'], city: 'Mountain View', region: 'CA', postalCode: '94042', country: 'USA' },
        { type: 'shipping', lines: ['9 Dock Road'], city: 'Oakland', region: 'CA', postalCode: '94607', country: 'USA' },
      ],
      notes: 'Deliver before 9am',
      currency: 'USD',
    });
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `full-${run}`, contact: input }]);
    expect(result?.ok).toBe(true);
    if (!result?.ok) return;
    expect(result.value.created).toBe(true);
    expect(result.value.remote).toMatchObject({ status: 'active', version: '0' });
    expect(result.value.remote.contact).toEqual(input);
    const read = await connection.session.contacts.get({ kind: 'customer', id: result.value.remote.id });
    expect(read.contact).toEqual(input);
    const link = connection.session.deepLink('customer', read.id);
    expect(link).toBe(`${connection.config.appBaseUrl}/customerdetail?nameId=${read.id}`);
    const page = await fetch(link ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('King Groceries');
  });

  it('replaying the same idempotency key returns the same customer and the company holds only one', async () => {
    const name = unique('Replay Hardware');
    const item = { idempotencyKey: `replay-${run}`, contact: contact({ kind: 'customer', displayName: name }) };
    const [first] = await connection.session.contacts.upsert([item]);
    const [again] = await connection.session.contacts.upsert([item]);
    expect(first?.ok && again?.ok).toBe(true);
    if (!first?.ok || !again?.ok) return;
    expect(again.value.remote.id).toBe(first.value.remote.id);
    expect(await countCustomersNamed(name)).toBe(1);
    const creates = connection.http.sent.filter((r) => r.method === 'POST' && r.url.includes(`requestid=replay-${run}`));
    expect(creates).toHaveLength(2);
  });

  it('an idempotency key longer than 50 characters is hashed and still replays', async () => {
    const name = unique('Long Key Supplies');
    const item = { idempotencyKey: `workspace-1/contact-${'x'.repeat(60)}/${run}`, contact: contact({ kind: 'customer', displayName: name }) };
    const [first] = await connection.session.contacts.upsert([item]);
    const [again] = await connection.session.contacts.upsert([item]);
    expect(first?.ok && again?.ok && again.value.remote.id === first.value.remote.id).toBe(true);
    expect(await countCustomersNamed(name)).toBe(1);
  });

  it('a name already used by a customer gives duplicate with that customer id', async () => {
    const existing = await createCustomer(unique('Dup Bakery'));
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `dup-${run}`, contact: contact({ kind: 'customer', displayName: unique('Dup Bakery') }) }]);
    expect(result?.ok).toBe(false);
    if (result?.ok !== false) return;
    expect(result.error).toMatchObject({ kind: 'duplicate', existingRemoteId: existing.id, providerCode: '6240' });
  });

  it('a customer name already used by a vendor is a duplicate without a customer id to adopt', async () => {
    const name = unique('Shared Name Co');
    const [vendor] = await connection.session.contacts.upsert([{ idempotencyKey: `vendor-${run}`, contact: contact({ kind: 'supplier', displayName: name }) }]);
    expect(vendor?.ok).toBe(true);
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `cust-${run}`, contact: contact({ kind: 'customer', displayName: name }) }]);
    expect(result?.ok === false && result.error).toMatchObject({ kind: 'duplicate' });
    expect(result?.ok === false && result.error.existingRemoteId).toBeUndefined();
    expect(result?.ok === false && result.error.message).toMatch(/vendor/);
  });

  it('creates a supplier as a QBO Vendor with its billing address and tax number', async () => {
    const input = contact({
      kind: 'supplier',
      displayName: unique('Paper Mill Ltd'),
      companyName: 'Paper Mill Ltd',
      emails: [{ address: 'ap@papermill.example' }],
      addresses: [{ type: 'billing', lines: ['1 Mill Lane'], city: 'Leeds', postalCode: 'LS1 1AA', country: 'UK' }],
      taxNumber: '12-3456789',
    });
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `supplier-${run}`, contact: input }]);
    expect(result?.ok).toBe(true);
    if (!result?.ok) return;
    const read = await connection.session.contacts.get({ kind: 'supplier', id: result.value.remote.id });
    expect(read.contact).toMatchObject({ kind: 'supplier', displayName: input.displayName, emails: input.emails, addresses: input.addresses });
    expect(connection.http.sent.some((r) => r.method === 'POST' && r.url.includes('/vendor?'))).toBe(true);
  });

  it('gives one result per item in order, and refuses bad data before sending it', async () => {
    const sentBefore = connection.http.sent.length;
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `order-a-${run}`, contact: contact({ kind: 'customer', displayName: unique('Order A') }) },
      { idempotencyKey: `order-b-${run}`, contact: contact({ kind: 'customer', displayName: unique('Rob:Barnett:Company') }) },
      { idempotencyKey: `order-c-${run}`, contact: contact({ kind: 'customer', displayName: unique('Order C') }) },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[0]?.ok && results[0].value.remote.contact.displayName).toBe(unique('Order A'));
    expect(results[1]?.ok === false && results[1].error).toMatchObject({ kind: 'validation', field: 'displayName' });
    expect(results[2]?.ok && results[2].value.remote.contact.displayName).toBe(unique('Order C'));
    expect(connection.http.sent.slice(sentBefore).some((r) => r.url.includes('order-b'))).toBe(false);
  });
});

describe('updating contacts', () => {
  it('a sparse update with a stale SyncToken re-reads the record and applies on top of the other change', async () => {
    const created = await createCustomer(unique('Stale Widgets'));
    // Someone edits the notes in QuickBooks: SyncToken 0 → 1.
    await qbo('POST', 'customer', { body: { Id: created.id, SyncToken: '0', sparse: true, Notes: 'Changed in QuickBooks' } });

    const [result] = await connection.session.contacts.upsert([
      { idempotencyKey: `stale-${run}`, remoteId: created.id, version: '0', contact: contact({ kind: 'customer', displayName: unique('Stale Widgets'), givenName: 'Wendy' }) },
    ]);
    expect(result?.ok).toBe(true);
    if (!result?.ok) return;
    expect(result.value.created).toBe(false);
    expect(result.value.remote.version).toBe('2');
    expect(result.value.remote.contact).toMatchObject({ givenName: 'Wendy', notes: 'Changed in QuickBooks' });
    // The first sparse update carried the stale token, the retry the re-read one.
    const updates = connection.http.sent.filter((r) => r.url.includes('operation=update') && (r.body as { Id?: string } | undefined)?.Id === created.id);
    expect(updates.map((r) => (r.body as { SyncToken?: string }).SyncToken)).toEqual(['0', '1']);
    expect(new Set(updates.map((r) => new URL(r.url).searchParams.get('requestid'))).size).toBe(2);
  });

  it('an update without a known version reads the current SyncToken first', async () => {
    const created = await createCustomer(unique('Versionless'));
    const [result] = await connection.session.contacts.upsert([
      { idempotencyKey: `versionless-${run}`, remoteId: created.id, contact: contact({ kind: 'customer', displayName: unique('Versionless Renamed') }) },
    ]);
    expect(result?.ok && result.value.remote).toMatchObject({ id: created.id, version: '1', contact: { displayName: unique('Versionless Renamed') } });
  });

  it('updating an id QuickBooks does not have gives not_found', async () => {
    const [result] = await connection.session.contacts.upsert([
      { idempotencyKey: `missing-${run}`, remoteId: '987654321', version: '0', contact: contact({ kind: 'customer', displayName: unique('Nobody') }) },
    ]);
    expect(result?.ok === false && result.error.kind).toBe('not_found');
  });
});

describe('reading contacts', () => {
  it("search finds names with a quote and non-ASCII letters, escaping the query safely", async () => {
    const quoted = await createCustomer(unique("Zoë's Café Ñandú"));
    const backslash = await createCustomer(unique('Back\\slash Tools'));
    const found = await connection.session.contacts.search({ kind: 'customer', text: "Zoë's Café" });
    expect(found.map((c) => c.id)).toContain(quoted.id);
    expect(found.every((c) => c.contact.displayName?.includes("Zoë's Café"))).toBe(true);
    const slash = await connection.session.contacts.search({ kind: 'customer', text: 'Back\\slash' });
    expect(slash.map((c) => c.id)).toEqual([backslash.id]);
    expect(await connection.session.contacts.search({ kind: 'customer', text: "' OR '1'='1" })).toEqual([]);
  });

  it('an inactive customer is hidden from search unless asked for, and comes back flagged inactive', async () => {
    const created = await createCustomer(unique('Dormant Dairy'));
    await qbo('POST', 'customer', { body: { Id: created.id, SyncToken: '0', sparse: true, Active: false } });

    expect(await connection.session.contacts.search({ kind: 'customer', text: unique('Dormant Dairy') })).toEqual([]);
    const withInactive = await connection.session.contacts.search({ kind: 'customer', text: unique('Dormant Dairy'), includeInactive: true });
    expect(withInactive.map((c) => [c.id, c.status])).toEqual([[created.id, 'inactive']]);
    expect((await connection.session.contacts.get({ kind: 'customer', id: created.id })).status).toBe('inactive');
  });

  it('get of an unknown id rejects with not_found', async () => {
    const error = await connection.session.contacts.get({ kind: 'customer', id: '987654321' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('not_found');
  });

  it('a full list pages through every customer, and its checkpoint later returns only what changed', async () => {
    const ids: string[] = [];
    let page = await connection.session.contacts.list({ kind: 'customer', pageSize: 3 });
    ids.push(...page.items.map((c) => c.id));
    while (page.hasMore) {
      page = await connection.session.contacts.list({ kind: 'customer', pageSize: 3, checkpoint: page.checkpoint });
      ids.push(...page.items.map((c) => c.id));
    }
    expect(new Set(ids).size).toBe(ids.length);
    const count = await qbo('GET', 'query', { query: { query: 'SELECT count(*) FROM Customer WHERE Active IN (true, false)' } });
    expect(ids.length).toBe(Number(count.QueryResponse?.totalCount));
    expect(JSON.parse(page.checkpoint)).toMatchObject({ position: 1, after: expect.any(String) });

    const changed = await createCustomer(unique('Later Lemonade'));
    const [renamed] = await connection.session.contacts.upsert([
      { idempotencyKey: `later-${run}`, remoteId: ids[0] ?? '', contact: contact({ kind: 'customer', displayName: unique('Renamed First') }) },
    ]);
    expect(renamed?.ok).toBe(true);

    const later = await connection.session.contacts.list({ kind: 'customer', checkpoint: page.checkpoint });
    expect(later.items.map((c) => c.id).sort()).toEqual([changed.id, ids[0]].sort());
    expect(later.hasMore).toBe(false);

    const nothing = await connection.session.contacts.list({ kind: 'customer', checkpoint: later.checkpoint });
    expect(nothing.items).toEqual([]);
  });

  it('a checkpoint that is not one of ours is refused, naming the field', async () => {
    const error = await connection.session.contacts.list({ kind: 'customer', checkpoint: 'yesterday' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.toJSON()).toMatchObject({ kind: 'validation', field: 'checkpoint' });
  });
});
