import { Contact, isConnectorError, type ContactInput, type RemoteContact } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const contactPath = (id: string) => `xero/organisations/${encodeURIComponent(connection.tenant.id)}/contacts/${encodeURIComponent(id)}`;

async function create(displayName: string, extra: Partial<ContactInput> = {}, key = `create-${displayName}`): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: key, contact: contact({ kind: 'customer', displayName, ...extra }) }]);
  if (!result?.ok) throw new Error(`create ${displayName} failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

/** Contacts named exactly `name` in the organisation, archived included (the sandbox's raw view). */
async function countNamed(name: string): Promise<number> {
  const response = await fetch(`${connection.url}/_control/xero/organisations/${encodeURIComponent(connection.tenant.id)}/contacts`);
  const text = await response.text();
  return (text.match(new RegExp(`"Name":${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g')) ?? []).length;
}

describe('contacts.upsert', () => {
  it('creates contacts as one array with summarizeErrors=false and an Idempotency-Key, mapping every field back', async () => {
    const before = connection.http.sent.length;
    const name = unique('Kōwhai "Trading" Ltd');
    const [created, other] = await connection.session.contacts.upsert([
      {
        idempotencyKey: `fields-${run}`,
        contact: contact({
          kind: 'customer',
          displayName: name,
          givenName: 'Aroha',
          familyName: 'Ngata',
          emails: [{ address: `aroha.${run}@example.co.nz` }],
          phones: [{ number: '09 555 0100', type: 'primary' }, { number: '021 555 0101', type: 'mobile' }],
          addresses: [{ type: 'billing', lines: ['PO Box 12'], city: 'Auckland', postalCode: '1010', country: 'NZ' }],
          taxNumber: '123-456-789',
        }),
      },
      { idempotencyKey: `fields2-${run}`, contact: contact({ kind: 'customer', displayName: unique('Second Co') }) },
    ]);
    expect(created?.ok && other?.ok).toBe(true);
    const writes = connection.http.sent.slice(before).filter((r) => r.method === 'PUT');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.url).toContain('summarizeErrors=false');
    expect(writes[0]?.headers['idempotency-key']).toBeTruthy();
    expect((writes[0]?.body as { Contacts: unknown[] }).Contacts).toHaveLength(2);
    if (!created?.ok) return;
    const read = await connection.session.contacts.get({ kind: 'customer', id: created.value.remote.id });
    expect(read.status).toBe('active');
    expect(read.contact).toMatchObject({
      displayName: name,
      givenName: 'Aroha',
      familyName: 'Ngata',
      emails: [{ address: `aroha.${run}@example.co.nz`, type: 'primary' }],
      taxNumber: '123-456-789',
    });
    expect(read.contact.phones).toEqual(expect.arrayContaining([{ number: '09 555 0100', type: 'primary' }, { number: '021 555 0101', type: 'mobile' }]));
    expect(read.contact.addresses).toEqual([{ type: 'billing', lines: ['PO Box 12'], city: 'Auckland', postalCode: '1010', country: 'NZ' }]);
  });

  it('a name already used by an active contact fails with duplicate naming the existing contact, and the others are created', async () => {
    const name = unique('Harbour Cafe');
    const existing = await create(name);
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `dup-${run}`, contact: contact({ kind: 'customer', displayName: name }) },
      { idempotencyKey: `dup-ok-${run}`, contact: contact({ kind: 'customer', displayName: unique('Harbour Bakery') }) },
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: { kind: 'duplicate', existingRemoteId: existing.id } });
    expect(results[1]?.ok).toBe(true);
    expect(await countNamed(name)).toBe(1);
  });

  it('a retry with the same idempotency key after a lost answer returns the first contact instead of a second one', async () => {
    const name = unique('Retry Plumbing');
    const first = await create(name, {}, `retry-${run}`);
    const again = await create(name, {}, `retry-${run}`);
    expect(again.id).toBe(first.id);
    expect(await countNamed(name)).toBe(1);
  });

  it('an update to an archived contact fails with remote_inactive archived, and nothing is written', async () => {
    const name = unique('Archived Joinery');
    const created = await create(name);
    await connection.control(`${contactPath(created.id)}/archive`);
    expect((await connection.session.contacts.get({ kind: 'customer', id: created.id })).status).toBe('archived');
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `arch-${run}`, remoteId: created.id, contact: contact({ kind: 'customer', displayName: `${name} renamed` }) }]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'remote_inactive', reason: 'archived' } });
    expect((await connection.session.contacts.get({ kind: 'customer', id: created.id })).contact.displayName).toBe(name);
  });

  it('a merged contact reads as merged with its survivor, and an update to it fails naming the survivor', async () => {
    const loser = await create(unique('Merge Loser'));
    const survivor = await create(unique('Merge Survivor'));
    await connection.control(`${contactPath(loser.id)}/merge`, { survivorContactId: survivor.id });
    const read = await connection.session.contacts.get({ kind: 'customer', id: loser.id });
    expect(read).toMatchObject({ status: 'merged', mergedIntoId: survivor.id });
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `merged-${run}`, remoteId: loser.id, contact: contact({ kind: 'customer', displayName: unique('Merge Loser 2') }) }]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'remote_inactive', reason: 'merged', survivorId: survivor.id } });
  });

  it('an update to an unknown contact fails with not_found and the rest of the batch goes through', async () => {
    const kept = await create(unique('Update Me'));
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `nf-${run}`, remoteId: '6f1d6a52-0000-4000-8000-00000000dead', contact: contact({ kind: 'customer', displayName: unique('Ghost') }) },
      { idempotencyKey: `upd-${run}`, remoteId: kept.id, contact: contact({ kind: 'customer', displayName: unique('Updated Me') }) },
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(results[1]).toMatchObject({ ok: true, value: { created: false, remote: { id: kept.id, contact: { displayName: unique('Updated Me') } } } });
  });

  it('an email Xero refuses fails that item with validation on emails[primary]', async () => {
    const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `bad-${run}`, contact: contact({ kind: 'customer', displayName: unique('Bad Email'), emails: [{ address: 'not-an-email' }] }) }]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation', field: 'emails[primary]' } });
  });

  it("Xero's 429 fails every item of the write with rate_limited and Retry-After", async () => {
    await connection.control('faults/xero', { burst429: 1 });
    const results = await connection.session.contacts.upsert([
      { idempotencyKey: `rl1-${run}`, contact: contact({ kind: 'customer', displayName: unique('Throttled One') }) },
      { idempotencyKey: `rl2-${run}`, contact: contact({ kind: 'customer', displayName: unique('Throttled Two') }) },
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.kind).toBe('rate_limited');
      expect(result.error.retryAfterSeconds).toBeGreaterThan(0);
    }
  });
});

describe('contacts read', () => {
  it('an expired token on a read rejects with auth_expired so the host refreshes', async () => {
    await connection.control('faults/xero', { tokenExpired: true });
    const error = await connection.session.contacts.search({ kind: 'customer', text: 'anything' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('auth_expired');
  });

  it('search hides archived contacts unless includeInactive is set', async () => {
    const name = unique("O'Brien & Søn");
    const created = await create(name);
    await connection.control(`${contactPath(created.id)}/archive`);
    expect(await connection.session.contacts.search({ kind: 'customer', text: name })).toEqual([]);
    const withArchived = await connection.session.contacts.search({ kind: 'customer', text: name, includeInactive: true });
    expect(withArchived.map((c) => [c.id, c.status])).toEqual([[created.id, 'archived']]);
  });

  it('incremental list sends If-Modified-Since with includeArchived and returns an archive made later', async () => {
    let page = await connection.session.contacts.list({ kind: 'customer', pageSize: 1000 });
    while (page.hasMore) page = await connection.session.contacts.list({ kind: 'customer', checkpoint: page.checkpoint, pageSize: 1000 });
    const created = await create(unique('Later Change'));
    await connection.control(`${contactPath(created.id)}/archive`);
    const before = connection.http.sent.length;
    const later = await connection.session.contacts.list({ kind: 'customer', checkpoint: page.checkpoint, pageSize: 1000 });
    const request = connection.http.sent[before];
    expect(request?.headers['if-modified-since']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(request?.url).toContain('includeArchived=true');
    expect(later.items.map((c) => [c.id, c.status])).toEqual([[created.id, 'archived']]);
  });

  it('a checkpoint the connector did not produce is refused with validation on checkpoint', async () => {
    const error = await connection.session.contacts.list({ kind: 'customer', checkpoint: '2024-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && { kind: error.kind, field: error.field }).toEqual({ kind: 'validation', field: 'checkpoint' });
  });

  it('deep links open the contact in the Xero app', async () => {
    const created = await create(unique('Linked Co'));
    const link = connection.session.deepLink('customer', created.id);
    expect(link).toBe(`${connection.config.appBaseUrl}/Contacts/View/${created.id}`);
    const page = await fetch(link ?? '');
    expect(page.status).toBe(200);
  });
});
