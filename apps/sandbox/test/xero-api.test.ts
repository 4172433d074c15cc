import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_XERO_CLIENT_ID, SANDBOX_XERO_CLIENT_SECRET, SANDBOX_XERO_DEMO_TENANTS, startSandbox, xeroSignature } from '../src/index.js';
import { XERO_REDIRECT_URI, control, xeroConsent } from './xero-helpers.js';

let sandbox: RunningSandbox;
const AU = SANDBOX_XERO_DEMO_TENANTS.au;
const NZ = SANDBOX_XERO_DEMO_TENANTS.nz;

async function authorizeCode(tenantId: string, scope: string): Promise<string> {
  const authorize = new URL(`${sandbox.url}/xero/identity/connect/authorize`);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: SANDBOX_XERO_CLIENT_ID, redirect_uri: XERO_REDIRECT_URI, scope, state: 's1' }).toString();
  const callback = new URL(await xeroConsent(authorize.toString(), tenantId));
  expect(callback.searchParams.get('state')).toBe('s1');
  return callback.searchParams.get('code') ?? '';
}

function exchange(code: string): Promise<Response> {
  return fetch(`${sandbox.url}/xero/identity/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: XERO_REDIRECT_URI, client_id: SANDBOX_XERO_CLIENT_ID, client_secret: SANDBOX_XERO_CLIENT_SECRET }),
  });
}

async function connect(tenantId: string, scope: string): Promise<{ access_token: string; refresh_token?: string; scope: string }> {
  const res = await exchange(await authorizeCode(tenantId, scope));
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token?: string; scope: string };
}

async function get(path: string, token: string | undefined, tenantId: string | undefined): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (tenantId !== undefined) headers['xero-tenant-id'] = tenantId;
  const res = await fetch(`${sandbox.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
});

afterAll(async () => {
  await sandbox.close();
});

describe('Xero identity, connections and error shapes (raw HTTP)', () => {
  it('issues no refresh token without offline_access and answers invalid_grant to a reused code, revoking what it issued', { timeout: 20_000 }, async () => {
    const code = await authorizeCode(AU, 'accounting.contacts.read');
    const first = await exchange(code);
    const tokens = (await first.json()) as { access_token: string; refresh_token?: string; scope: string };
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe('accounting.contacts.read');
    const list = await get('/xero/api.xro/2.0/Contacts', tokens.access_token, AU);
    expect(list.status).toBe(200);
    expect(list.headers.get('x-minlimit-remaining')).toMatch(/^\d+$/);
    const reused = await exchange(code);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'invalid_grant' });
    // A replayed code is treated as stolen: what it issued stops working.
    expect((await get('/xero/api.xro/2.0/Contacts', tokens.access_token, AU)).status).toBe(401);
  });

  it('answers 401 and 403 in Xero’s problem-details shape', async () => {
    const tokens = await connect(AU, 'accounting.contacts.read');
    const noToken = await get('/xero/api.xro/2.0/Contacts', undefined, AU);
    expect(noToken).toMatchObject({ status: 401, body: { Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' } });
    const noTenant = await get('/xero/api.xro/2.0/Contacts', tokens.access_token, undefined);
    expect(noTenant).toMatchObject({ status: 403, body: { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' } });
    const otherTenant = await get('/xero/api.xro/2.0/Contacts', tokens.access_token, NZ);
    expect(otherTenant.status).toBe(403);
    const noScope = await get('/xero/api.xro/2.0/Invoices', tokens.access_token, AU);
    expect(noScope).toMatchObject({ status: 401, body: { Detail: 'AuthorizationUnsuccessful' } });
  });

  it('answers XML unless the client asks for JSON, as Xero does', async () => {
    const tokens = await connect(AU, 'accounting.contacts.read');
    const res = await fetch(`${sandbox.url}/xero/api.xro/2.0/Contacts?where=${encodeURIComponent('Name=="Acme Pty Ltd"')}`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, 'xero-tenant-id': AU },
    });
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(/^<Response [^>]*><Id>[0-9a-f-]{36}<\/Id><Status>OK<\/Status>/);
    expect(xml).toContain('<Contacts><Contact><ContactID>');
    expect(xml).toContain('<Name>Acme Pty Ltd</Name>');
    expect(xml).toMatch(/<UpdatedDateUTC>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}<\/UpdatedDateUTC>/);
  });

  it('allows 5 calls in flight per tenant and answers the 6th 429 concurrent', { timeout: 20_000 }, async () => {
    const tokens = await connect(AU, 'accounting.contacts.read');
    // Every call now spends a second inside "Xero", holding its slot.
    await control(sandbox.url, '/faults/xero', { latencyMs: 1500 });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => get('/xero/api.xro/2.0/Contacts?page=1&pageSize=1', tokens.access_token, AU)));
      const limited = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200)).toHaveLength(5);
      expect(limited).toHaveLength(1);
      expect(limited[0]?.headers.get('x-rate-limit-problem')).toBe('concurrent');
      expect(limited[0]?.headers.get('retry-after')).toBe('1');
      expect(limited[0]?.body).toMatchObject({ Title: 'Rate limit exceeded', Status: 429 });
    } finally {
      await control(sandbox.url, '/faults/xero', { latencyMs: 0 });
    }
  });

  it('lists both connected tenants and disconnects one by connection id', async () => {
    await connect(AU, 'accounting.contacts');
    const tokens = await connect(NZ, 'accounting.contacts');
    const listed = (await get('/xero/connections', tokens.access_token, undefined)) as unknown as { status: number; body: { id: string; tenantId: string }[]; headers: Headers };
    expect(listed.body.map((c) => c.tenantId).sort()).toEqual([AU, NZ].sort());
    expect(listed.headers.get('x-appminlimit-remaining')).toMatch(/^\d+$/);
    expect(listed.headers.get('x-minlimit-remaining')).toBeNull();
    const nz = listed.body.find((c) => c.tenantId === NZ);
    const removed = await fetch(`${sandbox.url}/xero/connections/${nz?.id ?? ''}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(removed.status).toBe(204);
    expect((await get('/xero/api.xro/2.0/Contacts', tokens.access_token, NZ)).status).toBe(403);
    expect((await get('/xero/api.xro/2.0/Contacts', tokens.access_token, AU)).status).toBe(200);
  });
});

describe('Xero control API and page', () => {
  it('creates organisations, renames and archives contacts, and refuses a taken name with 409', async () => {
    const created = await control(sandbox.url, '/xero/organisations', { name: 'Test Trading Ltd', countryCode: 'NZ' });
    expect(created).toMatchObject({ status: 201, body: { name: 'Test Trading Ltd', countryCode: 'NZ', contactCount: 0 } });
    const bad = await control(sandbox.url, '/xero/organisations', { name: '' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^name: /);

    const contacts = (await control(sandbox.url, `/xero/organisations/${AU}/contacts`)).body as { ContactID: string; Name: string; ContactStatus: string }[];
    const cafe = contacts.find((c) => c.Name === 'Blue Wren Cafe');
    const taken = await control(sandbox.url, `/xero/organisations/${AU}/contacts/${cafe?.ContactID ?? ''}/rename`, { name: 'acme pty ltd' });
    expect(taken.status).toBe(409);
    const renamed = await control(sandbox.url, `/xero/organisations/${AU}/contacts/${cafe?.ContactID ?? ''}/rename`, { name: 'Blue Wren Coffee' });
    expect(renamed.body).toMatchObject({ Name: 'Blue Wren Coffee' });
    const archived = await control(sandbox.url, `/xero/organisations/${AU}/contacts/${cafe?.ContactID ?? ''}/archive`, {});
    expect(archived.body).toMatchObject({ ContactStatus: 'ARCHIVED' });

    const page = await (await fetch(`${sandbox.url}/`)).text();
    expect(page).toContain('Demo Company (AU)');
    expect(page).toContain('Test Trading Ltd');
    const contactPage = await fetch(`${sandbox.url}/xero/app/Contacts/View/${cafe?.ContactID ?? ''}`);
    expect(contactPage.status).toBe(200);
    expect(await contactPage.text()).toContain('Blue Wren Coffee');
  });

  it('marks a webhook that accepts every signature as FAILED', async () => {
    const server = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const res = await control(sandbox.url, '/xero/webhooks', { url });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 'FAILED' });
      expect((res.body as { failure: string }).failure).toContain('must get 401');
      expect(xeroSignature('{}')).toMatch(/^[A-Za-z0-9+/]+=*$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries a refused events delivery with the same signed payload', { timeout: 20_000 }, async () => {
    const bodies: { body: string; signature: string }[] = [];
    let accepted = false;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signature = String(req.headers['x-xero-signature'] ?? '');
        const valid = xeroSignature(body) === signature;
        const isEvents = (JSON.parse(body) as { events: unknown[] }).events.length > 0;
        if (isEvents) bodies.push({ body, signature });
        // Intent to Receive is answered properly; the first events delivery is refused.
        const status = !valid ? 401 : isEvents && !accepted ? ((accepted = true), 500) : 200;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      expect((await control(sandbox.url, '/xero/webhooks', { url })).body).toMatchObject({ status: 'OK' });
      const contacts = (await control(sandbox.url, `/xero/organisations/${AU}/contacts`)).body as { ContactID: string; Name: string }[];
      const acme = contacts.find((c) => c.Name === 'Acme Pty Ltd');
      await control(sandbox.url, `/xero/organisations/${AU}/contacts/${acme?.ContactID ?? ''}/rename`, { name: 'Acme Holdings Pty Ltd' });
      for (let i = 0; i < 400 && bodies.length < 2; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(bodies).toHaveLength(2);
      expect(bodies[1]).toEqual(bodies[0]);
      const status = (await control(sandbox.url, '/xero/webhooks')).body as { subscription: { status: string }; deliveries: { kind: string; status: number }[] };
      expect(status.subscription.status).toBe('OK');
      expect(status.deliveries.filter((d) => d.kind === 'events').map((d) => d.status)).toEqual([500, 200]);
    } finally {
      await control(sandbox.url, '/xero/webhooks', undefined, 'DELETE');
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reset restores the demo organisations and keeps their connections', async () => {
    const tokens = await connect(AU, 'accounting.contacts');
    await control(sandbox.url, '/reset', {});
    const organisations = (await control(sandbox.url, '/xero/organisations')).body as { name: string }[];
    expect(organisations.map((o) => o.name)).toEqual(['Demo Company (AU)', 'Harbour Goods (NZ)']);
    const contacts = await get(`/xero/api.xro/2.0/Contacts?where=${encodeURIComponent('Name=="Blue Wren Cafe"')}`, tokens.access_token, AU);
    expect((contacts.body.Contacts as unknown[]).length).toBe(1);
  });
});

describe('Xero contact Balances', () => {
  it('computes AccountsReceivable/AccountsPayable Outstanding and Overdue from invoices, payments and credit notes', async () => {
    const tokens = await connect(AU, 'accounting.contacts accounting.transactions');
    const send = async (method: 'PUT' | 'POST', path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${sandbox.url}/xero/api.xro/2.0/${path}?summarizeErrors=false`, {
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}`, 'xero-tenant-id': AU },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const contacts = (await send('PUT', 'Contacts', { Contacts: [{ Name: `Balances ${Math.random().toString(36).slice(2, 8)}` }] })).Contacts as { ContactID: string }[];
    const contactId = contacts[0]?.ContactID ?? '';
    const line = (amount: number) => [{ Description: 'Work', Quantity: 1, UnitAmount: amount, AccountCode: '200', TaxType: 'NONE' }];
    const invoices = (
      await send('PUT', 'Invoices', {
        Invoices: [
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', Date: '2026-01-01', DueDate: '2026-01-31', LineItems: line(100.1) },
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', Date: '2026-01-01', DueDate: '2099-12-31', LineItems: line(50) },
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'DRAFT', Date: '2026-01-01', DueDate: '2026-01-31', LineItems: line(999) },
          { Type: 'ACCPAY', Contact: { ContactID: contactId }, Status: 'AUTHORISED', Date: '2026-01-01', DueDate: '2026-02-01', LineItems: [{ ...line(40)[0], AccountCode: '310' }] },
        ],
      })
    ).Invoices as { InvoiceID: string; HasErrors: boolean }[];
    expect(invoices.map((i) => i.HasErrors)).toEqual([false, false, false, false]);
    await send('PUT', 'Payments', { Payments: [{ Invoice: { InvoiceID: invoices[0]?.InvoiceID }, Account: { Code: '090' }, Date: '2026-02-01', Amount: 30.05 }] });
    await send('PUT', 'CreditNotes', { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Status: 'AUTHORISED', Date: '2026-02-01', LineItems: line(10) }] });

    const one = await get(`/xero/api.xro/2.0/Contacts/${contactId}`, tokens.access_token, AU);
    const expected = { AccountsReceivable: { Outstanding: 110.05, Overdue: 70.05 }, AccountsPayable: { Outstanding: 40, Overdue: 40 } };
    expect((one.body.Contacts as Record<string, unknown>[])[0]?.Balances).toEqual(expected);
    const paged = await get(`/xero/api.xro/2.0/Contacts?page=1&IDs=${contactId}`, tokens.access_token, AU);
    expect((paged.body.Contacts as Record<string, unknown>[])[0]?.Balances).toEqual(expected);
    const unpaged = await get(`/xero/api.xro/2.0/Contacts?IDs=${contactId}`, tokens.access_token, AU);
    expect((unpaged.body.Contacts as Record<string, unknown>[])[0]).not.toHaveProperty('Balances');
  });
});

describe('Xero multi-currency', () => {
  it('takes CurrencyCode and CurrencyRate on invoices, falls back to the contact DefaultCurrency, refuses disabled currencies and converts Balances to the base currency', async () => {
    const tokens = await connect(AU, 'accounting.contacts accounting.transactions');
    const send = async (method: 'PUT' | 'POST', path: string, body: unknown): Promise<Record<string, unknown>> => {
      const res = await fetch(`${sandbox.url}/xero/api.xro/2.0/${path}?summarizeErrors=false`, {
        method,
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}`, 'xero-tenant-id': AU },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const suffix = Math.random().toString(36).slice(2, 8);
    const contacts = (await send('PUT', 'Contacts', { Contacts: [{ Name: `Euro Buyer ${suffix}`, DefaultCurrency: 'EUR' }, { Name: `Bad Currency ${suffix}`, DefaultCurrency: 'XYZ' }] })).Contacts as {
      ContactID: string;
      DefaultCurrency?: string;
      HasValidationErrors: boolean;
      ValidationErrors?: { Message: string }[];
    }[];
    expect(contacts[0]).toMatchObject({ DefaultCurrency: 'EUR', HasValidationErrors: false });
    expect(contacts[1]?.ValidationErrors?.[0]?.Message).toMatch(/currency XYZ is not enabled/);
    const contactId = contacts[0]?.ContactID ?? '';
    const line = [{ Description: 'Work', Quantity: 1, UnitAmount: 130, AccountCode: '200', TaxType: 'NONE' }];
    const invoices = (
      await send('PUT', 'Invoices', {
        Invoices: [
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', CurrencyCode: 'USD', DueDate: '2099-01-01', LineItems: line },
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', CurrencyCode: 'USD', CurrencyRate: 0.5, DueDate: '2099-01-01', LineItems: line },
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', DueDate: '2099-01-01', LineItems: line },
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', CurrencyCode: 'JPY', LineItems: line },
        ],
      })
    ).Invoices as { CurrencyCode?: string; CurrencyRate?: number; Total?: number; HasErrors: boolean; ValidationErrors?: { Message: string }[] }[];
    expect(invoices.slice(0, 3).map((i) => [i.CurrencyCode, i.CurrencyRate, i.Total])).toEqual([
      ['USD', 0.65, 130],
      ['USD', 0.5, 130],
      ['EUR', 0.6, 130],
    ]);
    expect(invoices[3]?.ValidationErrors?.[0]?.Message).toMatch(/currency JPY is not enabled/);
    const one = await get(`/xero/api.xro/2.0/Contacts/${contactId}`, tokens.access_token, AU);
    // 130 USD at 0.65 = 200 AUD, at 0.5 = 260 AUD; 130 EUR at 0.6 = 216.67 AUD.
    expect((one.body.Contacts as Record<string, unknown>[])[0]?.Balances).toEqual({ AccountsReceivable: { Outstanding: 676.67, Overdue: 0 }, AccountsPayable: { Outstanding: 0, Overdue: 0 } });
  });
});
