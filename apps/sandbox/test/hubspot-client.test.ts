import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET, SANDBOX_HUBSPOT_DEMO_PORTAL_ID, SANDBOX_HUBSPOT_DEMO_TOKEN, startSandbox } from '../src/index.js';
import { HUBSPOT_REDIRECT_URI, advance, apiError, authorize, control, hubspotClient } from './hubspot-helpers.js';

let sandbox: RunningSandbox;
let client: Client;

/** CRM search allows 5 requests a second per portal: step past the window between searches. */
async function search(...args: Parameters<Client['crm']['contacts']['searchApi']['doSearch']>): ReturnType<Client['crm']['contacts']['searchApi']['doSearch']> {
  await advance(sandbox.url, 1);
  return client.crm.contacts.searchApi.doSearch(...args);
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  client = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
});

afterAll(async () => {
  await sandbox.close();
});

describe('HubSpot sandbox driven by @hubspot/api-client', () => {
  it('lists the seeded demo portal with its private-app token in the control API', async () => {
    const portals = (await control(sandbox.url, '/hubspot/portals')).body as { portalId: number; privateAppToken: string; contactCount: number; companyCount: number }[];
    expect(portals).toEqual([expect.objectContaining({ portalId: SANDBOX_HUBSPOT_DEMO_PORTAL_ID, privateAppToken: SANDBOX_HUBSPOT_DEMO_TOKEN, contactCount: 10, companyCount: 4 })]);
  });

  it('creates, reads, updates and archives a contact with basicApi', async () => {
    const created = await client.crm.contacts.basicApi.create({ properties: { email: 'ada@lovelace.example.com', firstname: 'Ada', lastname: 'Lovelace' }, associations: [] });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties).toMatchObject({ email: 'ada@lovelace.example.com', hs_object_id: created.id });
    expect(created.properties.createdate).toBe(created.createdAt.toISOString());

    const read = await client.crm.contacts.basicApi.getById(created.id, ['firstname', 'phone']);
    expect(read.properties).toEqual({
      firstname: 'Ada',
      phone: null,
      hs_object_id: created.id,
      createdate: created.properties.createdate,
      lastmodifieddate: created.properties.lastmodifieddate,
    });

    await advance(sandbox.url, 5);
    const updated = await client.crm.contacts.basicApi.update(created.id, { properties: { phone: '+44 20 7946 0000', lastname: '' } });
    expect(updated.properties.phone).toBe('+44 20 7946 0000');
    expect(updated.properties.lastname).toBeUndefined();
    expect(updated.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
    expect(updated.properties.hs_lastmodifieddate).toBe(updated.updatedAt.toISOString());

    const byEmail = await client.crm.contacts.basicApi.getById('ADA@lovelace.example.com', undefined, undefined, undefined, false, 'email');
    expect(byEmail.id).toBe(created.id);

    await client.crm.contacts.basicApi.archive(created.id);
    const gone = await apiError(() => client.crm.contacts.basicApi.getById(created.id));
    expect(gone.code).toBe(404);
    expect(gone.body.category).toBe('OBJECT_NOT_FOUND');
    const archived = await client.crm.contacts.basicApi.getById(created.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });

  it('refuses a second contact with an existing e-mail: 409 with HubSpot\'s wording and the existing id', async () => {
    const acme = await client.crm.contacts.basicApi.getById('accounts@acme.example.com', undefined, undefined, undefined, false, 'email');
    const error = await apiError(() => client.crm.contacts.basicApi.create({ properties: { email: 'Accounts@Acme.example.com', firstname: 'Dup' }, associations: [] }));
    expect(error.code).toBe(409);
    expect(error.body.category).toBe('CONFLICT');
    expect(error.body.message).toBe(`Contact already exists. Existing ID: ${acme.id}`);
  });

  it('names an unknown property in a 400', async () => {
    const error = await apiError(() => client.crm.contacts.basicApi.create({ properties: { email: 'x@example.com', favourite_colour: 'blue' }, associations: [] }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(error.body.message).toContain('Property \\"favourite_colour\\" does not exist');
  });

  it('answers 401 in HubSpot\'s shape for an unknown token', async () => {
    const bad = hubspotClient(sandbox.url, 'pat-na1-00000000-0000-0000-0000-000000000000');
    const error = await apiError(() => bad.crm.contacts.basicApi.getPage(1));
    expect(error.code).toBe(401);
    expect(error.body.category).toBe('INVALID_AUTHENTICATION');
    expect(error.body.message).toMatch(/^Authentication credentials not found/);
  });

  it('pages through contacts with getPage and after', async () => {
    const ids: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i += 1) {
      const page = await client.crm.contacts.basicApi.getPage(4, after, ['email']);
      ids.push(...page.results.map((c) => c.id));
      after = page.paging?.next?.after;
      if (after === undefined) break;
    }
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('batch-creates, reads and updates contacts, and refuses more than 100 inputs without writing any', async () => {
    const created = await client.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((n) => ({ properties: { email: `batch${n}@example.com`, firstname: `Batch${n}` }, associations: [] })),
    });
    expect(created.status).toBe('COMPLETE');
    expect(created.results.map((r) => r.properties.email).sort()).toEqual(['batch1@example.com', 'batch2@example.com', 'batch3@example.com']);

    const ids = created.results.map((r) => r.id);
    const read = await client.crm.contacts.batchApi.read({ inputs: [...ids, '999999'].map((id) => ({ id })), properties: ['firstname'], propertiesWithHistory: [] });
    expect(read.results.map((r) => r.properties.firstname).sort()).toEqual(['Batch1', 'Batch2', 'Batch3']);
    expect('errors' in read && read.errors?.[0]?.context).toEqual({ ids: ['999999'] });

    const updated = await client.crm.contacts.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { lifecyclestage: 'customer' } })) });
    expect(updated.results.every((r) => r.properties.lifecyclestage === 'customer')).toBe(true);

    const before = (await control(sandbox.url, '/hubspot/portals')).body as { contactCount: number }[];
    const tooMany = await apiError(() =>
      client.crm.contacts.batchApi.create({ inputs: Array.from({ length: 101 }, (_, n) => ({ properties: { email: `many${n}@example.com` }, associations: [] })) }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.message).toContain('at most 100 inputs');
    const after = (await control(sandbox.url, '/hubspot/portals')).body as { contactCount: number }[];
    expect(after[0]?.contactCount).toBe(before[0]?.contactCount);
  });

  it('searches with EQ, NEQ, IN, GT, LT, CONTAINS_TOKEN and HAS_PROPERTY filters, sorts, and pages with after', async () => {
    const acme = await search({ filterGroups: [{ filters: [{ propertyName: 'company', operator: FilterOperatorEnum.Eq, value: 'acme pty ltd' }] }], properties: ['email'], sorts: [], limit: 10, after: '0' });
    expect(acme.results.map((r) => r.properties.email).sort()).toEqual(['accounts@acme.example.com', 'noah.williams@acme.example.com']);

    const token = await search({ filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.ContainsToken, value: '*@northwind.example.com' }] }], properties: ['email'], sorts: [], limit: 10, after: '0' });
    expect(token.total).toBe(2);

    const inAndHas = await search({
      filterGroups: [
        { filters: [{ propertyName: 'lastname', operator: FilterOperatorEnum.In, values: ['chen', 'reid'] }, { propertyName: 'phone', operator: FilterOperatorEnum.HasProperty }] },
        { filters: [{ propertyName: 'firstname', operator: FilterOperatorEnum.Eq, value: 'Ethan' }, { propertyName: 'phone', operator: FilterOperatorEnum.Neq, value: 'x' }] },
      ],
      properties: ['lastname'],
      sorts: ['lastname'],
      limit: 10,
      after: '0',
    });
    expect(inAndHas.results.map((r) => r.properties.lastname)).toEqual(['Brown', 'Chen', 'Reid']);

    const all = await search({ filterGroups: [], properties: ['createdate'], sorts: [], limit: 200, after: '0' });
    const times = all.results.map((r) => Date.parse(r.properties.createdate ?? ''));
    const middle = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
    const newer = await search({ filterGroups: [{ filters: [{ propertyName: 'createdate', operator: FilterOperatorEnum.Gt, value: String(middle) }] }], properties: [], sorts: [], limit: 200, after: '0' });
    const older = await search({ filterGroups: [{ filters: [{ propertyName: 'createdate', operator: FilterOperatorEnum.Lt, value: new Date(middle).toISOString() }] }], properties: [], sorts: [], limit: 200, after: '0' });
    expect(newer.total + older.total).toBe(all.total - 1);

    const pages: string[] = [];
    let after: string | undefined = '0';
    while (after !== undefined) {
      const page = await search({ filterGroups: [], properties: ['email'], sorts: [{ propertyName: 'email', direction: 'DESCENDING' } as unknown as string], limit: 4, after });
      pages.push(...page.results.map((r) => r.properties.email ?? ''));
      after = page.paging?.next?.after;
    }
    expect(pages).toHaveLength(all.total);
    expect(pages).toEqual([...pages].sort().reverse());

    const tooBig = await apiError(() => search({ filterGroups: [], properties: [], sorts: [], limit: 201, after: '0' }));
    expect(tooBig.code).toBe(400);
    expect(tooBig.body.message).toContain('limit must be a whole number from 0 to 200');
  });

  it('limits search to 5 requests a second per portal with a SECONDLY 429', async () => {
    await advance(sandbox.url, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/contacts/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SANDBOX_HUBSPOT_DEMO_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.json()).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('associates a contact with a company (v4 default) and reads it back both ways', async () => {
    const company = await client.crm.companies.basicApi.create({ properties: { name: 'Lovelace Engines', domain: 'lovelace-engines.example.com' }, associations: [] });
    const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'charles@lovelace-engines.example.com', firstname: 'Charles' }, associations: [] });
    const made = await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', company.id);
    expect(made.status).toBe('COMPLETE');

    const fromContact = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    expect(fromContact.results).toEqual([{ toObjectId: Number(company.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 279, label: null }] }]);
    const fromCompany = await client.crm.associations.v4.basicApi.getPage('companies', company.id, 'contacts');
    expect(fromCompany.results.map((r) => String(r.toObjectId))).toEqual([contact.id]);

    const withAssociations = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ['companies']);
    expect(withAssociations.associations?.companies?.results).toEqual([{ id: company.id, type: 'contact_to_company_unlabeled' }]);
  });

  it('records a transaction as a note on the contact, and updates that note in place', async () => {
    const contact = await client.crm.contacts.basicApi.getById('accounts@acme.example.com', undefined, undefined, undefined, false, 'email');
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_note_body: '<p>Invoice INV-2001: AUD 99.95</p>', hs_timestamp: '2026-11-01T09:30:00.000Z' },
      associations: [{ to: { id: contact.id }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 202 }] }],
    });
    expect(note.properties).toMatchObject({ hs_note_body: '<p>Invoice INV-2001: AUD 99.95</p>', hs_timestamp: '2026-11-01T09:30:00.000Z' });

    const notes = await client.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'notes');
    expect(notes.results.map((r) => String(r.toObjectId))).toContain(note.id);

    const updated = await client.crm.objects.notes.basicApi.update(note.id, { properties: { hs_note_body: '<p>Invoice INV-2001: AUD 99.95 (paid)</p>' } });
    expect(updated.id).toBe(note.id);
    const read = await client.crm.objects.notes.basicApi.getById(note.id, ['hs_note_body'], undefined, ['contacts']);
    expect(read.properties.hs_note_body).toBe('<p>Invoice INV-2001: AUD 99.95 (paid)</p>');
    expect(read.associations?.contacts?.results).toEqual([{ id: contact.id, type: 'note_to_contact' }]);

    const missingTime = await apiError(() => client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'no time' }, associations: [] }));
    expect(missingTime.code).toBe(400);
    expect(missingTime.body.message).toContain('hs_timestamp is required');
  });

  it('answers the 101st request in 10 s with HubSpot\'s 429 body and rate-limit headers, and lets requests through once the window moves on', async () => {
    const portal = (await control(sandbox.url, '/hubspot/portals', { name: 'Rate Limit Co' })).body as { privateAppToken: string };
    const limited = hubspotClient(sandbox.url, portal.privateAppToken);
    const remaining: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const res = await limited.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts?limit=1' });
      expect(res.status).toBe(200);
      remaining.push(res.headers.get('x-hubspot-ratelimit-remaining') ?? '');
    }
    expect(remaining[0]).toBe('99');
    expect(remaining[99]).toBe('0');

    const refused = await apiError(() => limited.crm.contacts.basicApi.getPage(1));
    expect(refused.code).toBe(429);
    const raw = await fetch(`${sandbox.url}/hubspot/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${portal.privateAppToken}` } });
    expect(raw.status).toBe(429);
    expect(await raw.json()).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      correlationId: expect.any(String) as unknown as string,
    });
    expect(raw.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    expect(raw.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(raw.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');

    await advance(sandbox.url, 10);
    const again = await limited.crm.contacts.basicApi.getPage(1);
    expect(again.results).toEqual([]);
  });

  it('exchanges an authorization code and refreshes the access token with oauth.tokensApi', async () => {
    const callback = await authorize(sandbox.url, SANDBOX_HUBSPOT_DEMO_PORTAL_ID);
    expect(callback.searchParams.get('state')).toBe('st-1');
    const code = callback.searchParams.get('code') ?? '';
    const oauth = hubspotClient(sandbox.url, '');
    const tokens = await oauth.oauth.tokensApi.create('authorization_code', code, HUBSPOT_REDIRECT_URI, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET);
    expect(tokens).toMatchObject({ tokenType: 'bearer', expiresIn: 1800 });

    const info = await oauth.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: SANDBOX_HUBSPOT_DEMO_PORTAL_ID, tokenType: 'access', scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'] });

    const log = JSON.stringify((await control(sandbox.url, '/requests?limit=50')).body);
    expect(log).toContain('/hubspot/oauth/v1/access-tokens/***');
    expect(log).not.toContain(tokens.accessToken);

    const connected = hubspotClient(sandbox.url, tokens.accessToken);
    expect((await connected.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
    const noScope = await apiError(() => connected.crm.companies.basicApi.getPage(1));
    expect(noScope.code).toBe(403);

    const reused = await apiError(() => oauth.oauth.tokensApi.create('authorization_code', code, HUBSPOT_REDIRECT_URI, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET));
    expect(reused.code).toBe(400);

    await advance(sandbox.url, 1801);
    const expired = await apiError(() => connected.crm.contacts.basicApi.getPage(1));
    expect(expired.code).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');

    const refreshed = await oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET, tokens.refreshToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect((await hubspotClient(sandbox.url, refreshed.accessToken).crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);

    const badSecret = await apiError(() => oauth.oauth.tokensApi.create('refresh_token', undefined, undefined, SANDBOX_HUBSPOT_CLIENT_ID, 'wrong', tokens.refreshToken));
    expect(badSecret.code).toBe(400);
  });
});
