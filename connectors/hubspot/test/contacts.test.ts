import { Contact, isConnectorError, type ContactInput, type RemoteContact } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);
const unique = (name: string) => `${name} ${run}`;
const contact = (input: Partial<ContactInput>) => Contact.parse({ kind: 'customer', ...input });

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

async function create(input: Partial<ContactInput>, key = `create-${JSON.stringify(input)}`): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: key, contact: contact(input) }]);
  if (!result?.ok) throw new Error(`create failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

interface RawRecord {
  id: string;
  archived: boolean;
  properties: Record<string, string | null>;
  associations?: Record<string, { results: { id: string }[] }>;
}
const raw = async (type: 'contacts' | 'companies' | 'notes') => (await connection.inspect(connection.portalPath(type))) as RawRecord[];
const sentSince = (before: number) => connection.http.sent.slice(before).filter((r) => !r.injected);

describe('contacts.upsert', () => {
  it('writes every mapped property, associates the company by name, and reads them all back', async () => {
    const company = unique('Kōwhai "Trading" Ltd');
    const remote = await create({
      displayName: 'Aroha Ngata',
      givenName: 'Aroha',
      familyName: 'Ngata',
      companyName: company,
      emails: [{ address: `aroha.${run}@example.co.nz` }],
      phones: [
        { number: '09 555 0100', type: 'primary' },
        { number: '021 555 0101', type: 'mobile' },
      ],
      addresses: [{ type: 'billing', lines: ['12 Queen St'], city: 'Auckland', region: 'Auckland', postalCode: '1010', country: 'NZ' }],
      website: 'https://kowhai.example.co.nz',
      customFields: { jobtitle: 'Director' },
    });
    const read = await connection.session.contacts.get({ kind: 'customer', id: remote.id });
    expect(read.status).toBe('active');
    expect(read.contact).toMatchObject({
      displayName: 'Aroha Ngata',
      givenName: 'Aroha',
      familyName: 'Ngata',
      companyName: company,
      emails: [{ address: `aroha.${run}@example.co.nz`, type: 'primary' }],
      addresses: [{ type: 'billing', lines: ['12 Queen St'], city: 'Auckland', region: 'Auckland', postalCode: '1010', country: 'NZ' }],
      website: 'https://kowhai.example.co.nz',
      customFields: { jobtitle: 'Director' },
    });
    expect(read.contact.phones).toEqual([
      { number: '09 555 0100', type: 'primary' },
      { number: '021 555 0101', type: 'mobile' },
    ]);
    const companies = (await raw('companies')).filter((c) => c.properties.name === company);
    expect(companies).toHaveLength(1);
    expect(companies[0]?.associations?.contacts?.results.map((r) => r.id)).toContain(remote.id);
    // A second contact of the same company is associated with the same HubSpot company.
    const colleague = await create({ displayName: unique('Colleague'), companyName: company });
    const after = (await raw('companies')).filter((c) => c.properties.name === company);
    expect(after).toHaveLength(1);
    expect(after[0]?.associations?.contacts?.results.map((r) => r.id)).toEqual(expect.arrayContaining([remote.id, colleague.id]));
  });

  it('without a first or last name the display name is the HubSpot last name, read back unchanged', async () => {
    const name = unique('Acme  Pty Ltd');
    const remote = await create({ displayName: name });
    const stored = (await raw('contacts')).find((c) => c.id === remote.id);
    expect(stored?.properties).toMatchObject({ lastname: name });
    expect(stored?.properties.firstname ?? null).toBeNull();
    expect((await connection.session.contacts.get({ kind: 'customer', id: remote.id })).contact.displayName).toBe(name);
  });

  it('replaying an idempotency key creates nothing new, in one session or the next (ledgerlink_key)', async () => {
    const item = { idempotencyKey: `replay-${run}`, contact: contact({ displayName: unique('Replay Ltd'), emails: [{ address: `replay.${run}@example.com` }] }) };
    const first = await connection.session.contacts.upsert([item]);
    // A new session (a restarted worker) has no memory of the first write: HubSpot is asked.
    const fresh = await connector.connect(connection.ctx);
    const second = await fresh.contacts.upsert([item]);
    expect(first[0]?.ok && second[0]?.ok).toBe(true);
    if (!first[0]?.ok || !second[0]?.ok) return;
    expect(second[0].value.remote.id).toBe(first[0].value.remote.id);
    const stored = (await raw('contacts')).filter((c) => c.properties.lastname === unique('Replay Ltd'));
    expect(stored.map((c) => [c.id, c.properties.ledgerlink_key])).toEqual([[first[0].value.remote.id, `replay-${run}`]]);
  });

  it('a create whose answer was lost (connection dropped after commit) is uncertain, and its retry finds it instead of creating another', async () => {
    const item = { idempotencyKey: `lost-${run}`, contact: contact({ displayName: unique('Lost Answer') }) };
    await connection.control('faults/hubspot', { timeoutAfterCommitRate: 1 });
    let first;
    try {
      first = await connection.session.contacts.upsert([item]);
    } finally {
      await connection.control('faults/hubspot', { timeoutAfterCommitRate: 0 });
    }
    expect(first[0]).toMatchObject({ ok: false, error: { kind: 'uncertain' } });
    const retry = await connection.session.contacts.upsert([item]);
    expect(retry[0]?.ok).toBe(true);
    const stored = (await raw('contacts')).filter((c) => c.properties.lastname === unique('Lost Answer'));
    expect(stored).toHaveLength(1);
    expect(retry[0]?.ok && retry[0].value.remote.id).toBe(stored[0]?.id);
  });

  it('sends creates as batches of at most 100 (150 contacts: two batch requests)', async () => {
    const before = connection.http.sent.length;
    const items = Array.from({ length: 150 }, (_, i) => ({ idempotencyKey: `bulk-${run}-${i}`, contact: contact({ displayName: unique(`Bulk ${i}`) }) }));
    const results = await connection.session.contacts.upsert(items);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.value.remote.id : ''))).size).toBe(150);
    const creates = sentSince(before).filter((r) => r.url.endsWith('/crm/v3/objects/contacts/batch/create'));
    expect(creates.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 50]);
  });

  it('a batch with a bad e-mail, an over-long name and a taken e-mail fails those items alone', async () => {
    const taken = `taken.${run}@example.com`;
    const holder = await create({ displayName: unique('Holder'), emails: [{ address: taken }] });
    const before = connection.http.sent.length;
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `v-ok-1-${run}`, contact: contact({ displayName: unique('Valid One') }) },
      { idempotencyKey: `v-email-${run}`, contact: contact({ displayName: unique('Bad Email'), emails: [{ address: 'not an email' }] }) },
      { idempotencyKey: `v-long-${run}`, contact: contact({ displayName: 'L'.repeat(256) }) },
      { idempotencyKey: `v-taken-${run}`, contact: contact({ displayName: unique('Taken'), emails: [{ address: taken.toUpperCase() }] }) },
      { idempotencyKey: `v-ok-2-${run}`, contact: contact({ displayName: unique('Valid Two') }) },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, true]);
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'validation', field: 'emails[primary]' } });
    expect(results[2]).toMatchObject({ ok: false, error: { kind: 'validation', field: 'displayName' } });
    expect(results[3]).toMatchObject({ ok: false, error: { kind: 'duplicate', existingRemoteId: holder.id } });
    // Refused locally: neither the bad e-mail nor the long name was ever sent.
    const bodies = JSON.stringify(sentSince(before).map((r) => r.body));
    expect(bodies).not.toContain('not an email');
    expect(bodies).not.toContain('L'.repeat(256));
  });

  it('an update to a contact changed since it was read is stale; with the current version it goes through', async () => {
    const remote = await create({ displayName: unique('Versioned') });
    await connection.control(connection.portalPath(`contacts/${remote.id}/properties`), { properties: { phone: '+64 9 555 0199' } });
    const [stale] = await connection.session.contacts.upsert([{ idempotencyKey: `stale-${run}`, remoteId: remote.id, version: remote.version ?? '', contact: contact({ displayName: unique('Versioned 2') }) }]);
    expect(stale).toMatchObject({ ok: false, error: { kind: 'stale' } });
    const current = await connection.session.contacts.get({ kind: 'customer', id: remote.id });
    const [ok] = await connection.session.contacts.upsert([{ idempotencyKey: `stale-ok-${run}`, remoteId: remote.id, version: current.version ?? '', contact: contact({ displayName: unique('Versioned 2') }) }]);
    expect(ok?.ok && ok.value.remote.contact.displayName).toBe(unique('Versioned 2'));
    // The phone a HubSpot user set is kept: an update never clears what Ledgerlink has no value for.
    expect((await connection.session.contacts.get({ kind: 'customer', id: remote.id })).contact.phones).toEqual([{ number: '+64 9 555 0199', type: 'primary' }]);
  });
});

describe('remote status', () => {
  it('an archived contact reads archived and is not written to', async () => {
    const remote = await create({ displayName: unique('To Archive') });
    await connection.control(connection.portalPath(`contacts/${remote.id}/archive`));
    expect((await connection.session.contacts.get({ kind: 'customer', id: remote.id })).status).toBe('archived');
    const [write] = await connection.session.contacts.upsert([{ idempotencyKey: `archived-${run}`, remoteId: remote.id, contact: contact({ displayName: unique('Revived') }) }]);
    expect(write).toMatchObject({ ok: false, error: { kind: 'remote_inactive', reason: 'archived' } });
  });

  it('a merged-away contact reads merged with its survivor, and writes and transactions to it name the survivor', async () => {
    const loser = await create({ displayName: unique('Merged Away') });
    const survivor = await create({ displayName: unique('Survivor') });
    await connection.control(connection.portalPath('contacts/merge'), { primaryObjectId: survivor.id, objectIdToMerge: loser.id });
    const read = await connection.session.contacts.get({ kind: 'customer', id: loser.id });
    expect(read).toMatchObject({ id: loser.id, status: 'merged', mergedIntoId: survivor.id });
    const [write] = await connection.session.contacts.upsert([{ idempotencyKey: `merged-${run}`, remoteId: loser.id, contact: contact({ displayName: unique('Merged Again') }) }]);
    expect(write).toMatchObject({ ok: false, error: { kind: 'remote_inactive', reason: 'merged', survivorId: survivor.id } });
    const [pushed] = await (connection.session.transactions?.push([
      { idempotencyKey: `merged-tx-${run}`, contactId: loser.id, transaction: { type: 'invoice', issueDate: '2026-11-01', currency: 'USD', lines: [], total: 100, status: 'open', customFields: {} } },
    ]) ?? []);
    expect(pushed).toMatchObject({ ok: false, error: { kind: 'remote_inactive', survivorId: survivor.id } });
  });
});

describe('contacts.list', () => {
  it('refuses a checkpoint it did not produce, naming the field', async () => {
    const error = await connection.session.contacts.list({ kind: 'customer', checkpoint: 'xero-contacts:v1:abc' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.field).toBe('checkpoint');
  });

  it('contacts sharing one millisecond (one batch) are all read, each once, across pages smaller than the group', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ idempotencyKey: `tie-${run}-${i}`, contact: contact({ displayName: unique(`Tie ${i}`) }) }));
    const created = (await connection.session.contacts.upsert(items)).map((r) => (r.ok ? r.value.remote.id : ''));
    const stamps = new Set((await raw('contacts')).filter((c) => created.includes(c.id)).map((c) => c.properties.lastmodifieddate));
    expect(stamps.size, 'the batch shares one lastmodifieddate').toBe(1);
    const seen: string[] = [];
    let checkpoint: string | undefined;
    for (let pages = 0; pages < 500; pages += 1) {
      const page = await connection.session.contacts.list({ kind: 'customer', pageSize: 7, ...(checkpoint ? { checkpoint } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((c) => c.id));
      checkpoint = page.checkpoint;
      if (!page.hasMore) break;
    }
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen).toEqual(expect.arrayContaining(created));
  });

  it('reads every contact once across pages, then only what a HubSpot user changed', async () => {
    const all: string[] = [];
    let checkpoint: string | undefined;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await connection.session.contacts.list({ kind: 'customer', pageSize: 7, ...(checkpoint ? { checkpoint } : {}) });
      all.push(...page.items.map((c) => c.id));
      checkpoint = page.checkpoint;
      if (!page.hasMore) break;
    }
    const stored = (await raw('contacts')).filter((c) => !c.archived).map((c) => c.id);
    expect([...all].sort()).toEqual([...new Set(all)].sort());
    expect(all).toEqual(expect.arrayContaining(stored));
    const edited = stored[2] ?? '';
    await connection.control(connection.portalPath(`contacts/${edited}/properties`), { properties: { jobtitle: 'Edited in HubSpot' } });
    const later = await connection.session.contacts.list({ kind: 'customer', ...(checkpoint ? { checkpoint } : {}) });
    expect(later.items.map((c) => [c.id, c.contact.customFields.jobtitle])).toEqual([[edited, 'Edited in HubSpot']]);
  });
});

describe('errors', () => {
  it('429 → rate_limited with the ten-second window as the retry time, per item on writes', async () => {
    await connection.control('faults/hubspot', { burst429: 1 });
    const error = await connection.session.contacts.get({ kind: 'customer', id: '101' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.toJSON()).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 10, providerCode: 'TEN_SECONDLY_ROLLING' });
    await connection.control('faults/hubspot', { burst429: 1 });
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `rl-1-${run}`, contact: contact({ displayName: unique('Throttled 1') }) },
      { idempotencyKey: `rl-2-${run}`, contact: contact({ displayName: unique('Throttled 2') }) },
    ]);
    expect(results.map((r) => !r.ok && r.error.kind)).toEqual(['rate_limited', 'rate_limited']);
  });

  it('401 (expired token) → auth_expired, so the host refreshes', async () => {
    await connection.control('faults/hubspot', { tokenExpired: true });
    const error = await connection.session.contacts.get({ kind: 'customer', id: '101' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('auth_expired');
    expect(isConnectorError(error) && error.retryable).toBe(true);
  });

  it('500 on a write → uncertain (look before retrying); on a read → transient', async () => {
    await connection.control('faults/hubspot', { errorRate: 1 });
    try {
      const read = await connection.session.contacts.get({ kind: 'customer', id: '101' }).catch((e: unknown) => e);
      expect(isConnectorError(read) && read.kind).toBe('transient');
      const [write] = await connection.session.contacts.upsert([{ idempotencyKey: `e500-${run}`, remoteId: '101', contact: contact({ displayName: unique('Five Hundred') }) }]);
      expect(write?.ok === false && write.error.kind).toMatch(/^(uncertain|transient)$/);
    } finally {
      await connection.control('faults/hubspot', { errorRate: 0 });
    }
  });
});
