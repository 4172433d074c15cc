import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { type Tokens, connect, consent, control, qbo } from './helpers.js';

interface Company {
  realmId: string;
  name: string;
  customerCount: number;
}

interface Customer {
  Id: string;
  SyncToken: string;
  DisplayName: string;
  Active: boolean;
}

let sandbox: RunningSandbox;
let us: string;
let tokens: Tokens;

async function companies(): Promise<Company[]> {
  return (await control(sandbox.url, '/qbo/companies')).body as Company[];
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  us = (await companies()).find((c) => c.name === 'Sandbox Company US')?.realmId ?? '';
  tokens = await connect(sandbox.url, us);
});

afterAll(async () => {
  await sandbox.close();
});

describe('control API', () => {
  it('lists the demo companies with their customer counts', async () => {
    expect(await companies()).toEqual([
      { realmId: us, name: 'Sandbox Company US', customerCount: 8 },
      { realmId: expect.stringMatching(/^\d{16}$/) as unknown as string, name: 'Harbour Goods Ltd', customerCount: 8 },
    ]);
  });

  it('creates a company, and names the field when the body is wrong', async () => {
    const created = await control(sandbox.url, '/qbo/companies', { name: 'Test Company Ltd' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Test Company Ltd', realmId: expect.stringMatching(/^\d{16}$/) as unknown as string });
    const bad = await control(sandbox.url, '/qbo/companies', { name: '' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^name: /);
  });

  it('lists every customer including inactive ones, as raw QBO JSON', async () => {
    const list = (await control(sandbox.url, `/qbo/companies/${us}/customers`)).body as Customer[];
    expect(list).toHaveLength(8);
    expect(list.find((c) => c.DisplayName === 'Granite Peak Outfitters')).toMatchObject({ Active: false, domain: 'QBO' });
  });

  it('inactivates a customer: the default QBO query stops returning it, Active = false finds it', async () => {
    const res = await control(sandbox.url, `/qbo/companies/${us}/customers/5/inactivate`, {});
    expect(res.body).toMatchObject({ Id: '5', Active: false, SyncToken: '1' });
    const active = await qbo(sandbox.url, tokens.access_token, us, `query?query=${encodeURIComponent("select * from Customer where DisplayName = 'Evergreen Coffee Roasters'")}`);
    expect(active.body.QueryResponse).toEqual({});
    const inactive = await qbo(sandbox.url, tokens.access_token, us, `query?query=${encodeURIComponent("select * from Customer where DisplayName = 'Evergreen Coffee Roasters' and Active = false")}`);
    expect((inactive.body.QueryResponse as { Customer: Customer[] }).Customer[0]?.Id).toBe('5');
  });

  it('renames a customer (SyncToken moves on, so a stale client update gets 5010) and refuses a taken name', async () => {
    const renamed = await control(sandbox.url, `/qbo/companies/${us}/customers/6/rename`, { displayName: 'Fulton St Bakery & Cafe' });
    expect(renamed.body).toMatchObject({ DisplayName: 'Fulton St Bakery & Cafe', SyncToken: '1' });
    const stale = await qbo(sandbox.url, tokens.access_token, us, 'customer', { body: { Id: '6', SyncToken: '0', sparse: true, Notes: 'edit' } });
    expect(stale.body).toMatchObject({ Fault: { Error: [{ code: '5010' }] } });

    const taken = await control(sandbox.url, `/qbo/companies/${us}/customers/6/rename`, { displayName: 'Acme Pty Ltd' });
    expect(taken.status).toBe(409);
    expect((taken.body as { error: string }).error).toContain('Id=1');
    const missing = await control(sandbox.url, `/qbo/companies/${us}/customers/6/rename`, {});
    expect((missing.body as { error: string }).error).toMatch(/^displayName: /);
  });

  it('keeps a request log without tokens, codes or secrets', async () => {
    await consent(sandbox.url, us);
    const log = (await control(sandbox.url, '/requests?limit=50')).body as { method: string; path: string; status: number; time: string }[];
    const text = JSON.stringify(log);
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token);
    expect(text).not.toContain('ledgerlink-dev-secret');
    expect(log.some((e) => e.method === 'POST' && e.path === '/qbo/oauth2/v1/tokens/bearer' && e.status === 200)).toBe(true);
    expect(log.some((e) => e.path.startsWith('/qbo/connect/oauth2?') && e.path.includes('state=***'))).toBe(true);
    expect(log.every((e) => !/[?&]code=(?!\*\*\*)/.test(e.path))).toBe(true);
    expect((await control(sandbox.url, '/requests?limit=0')).status).toBe(400);
  });

  it('reset returns to the demo seed and keeps connections to the demo companies working', async () => {
    await control(sandbox.url, `/qbo/companies/${us}/customers`, { DisplayName: 'Temporary Customer' });
    const res = await control(sandbox.url, '/reset', {});
    expect(res.status).toBe(200);
    const after = await companies();
    expect(after.map((c) => [c.name, c.customerCount])).toEqual([['Sandbox Company US', 8], ['Harbour Goods Ltd', 8]]);
    const read = await qbo(sandbox.url, tokens.access_token, us, 'customer/6');
    expect(read.body.Customer).toMatchObject({ DisplayName: 'Fulton Street Bakery', SyncToken: '0' });
  });
});

describe('pages', () => {
  it('the control page lists companies and customers with labelled actions', async () => {
    const res = await fetch(`${sandbox.url}/`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(text).toContain('Sandbox Company US');
    expect(text).toContain('Harbour Goods Ltd');
    expect(text).toContain('aria-label="Inactivate Acme Pty Ltd"');
    expect(text).toContain('New display name for Cedar &amp; Pine Landscaping');
    expect(text).toContain('Merge Cedar &amp; Pine Landscaping into the customer with Id');
  });

  it('the app deep link shows the customer of the given company, or asks which company', async () => {
    const one = await fetch(`${sandbox.url}/qbo/app/customerdetail?nameId=2&realmId=${us}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toContain('Bayside Plumbing Co');
    const ambiguous = await (await fetch(`${sandbox.url}/qbo/app/customerdetail?nameId=2`)).text();
    expect(ambiguous).toContain('Which company?');
    expect(ambiguous).toContain('Blue Wren Cafe');
    expect((await fetch(`${sandbox.url}/qbo/app/customerdetail?nameId=424242`)).status).toBe(404);
  });

  it('the consent page refuses an unknown client_id with an error page, not a redirect', async () => {
    const res = await fetch(`${sandbox.url}/qbo/connect/oauth2?client_id=stranger&redirect_uri=http%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=com.intuit.quickbooks.accounting`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This app is not registered');
  });

  it('Cancel on the consent page sends the user back with error=access_denied', async () => {
    const page = await fetch(`${sandbox.url}/qbo/connect/oauth2?client_id=ledgerlink-dev-client&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&response_type=code&scope=com.intuit.quickbooks.accounting&state=s1`);
    expect(page.status).toBe(200);
    const res = await fetch(`${sandbox.url}/qbo/connect/oauth2`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'ledgerlink-dev-client', redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 's1', decision: 'deny' }),
      redirect: 'manual',
    });
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('an unseeded sandbox', () => {
  it('starts empty and resets to empty', async () => {
    const empty = await startSandbox();
    try {
      expect((await control(empty.url, '/qbo/companies')).body).toEqual([]);
      await control(empty.url, '/qbo/companies', { name: 'Only Company' });
      await control(empty.url, '/reset', {});
      expect((await control(empty.url, '/qbo/companies')).body).toEqual([]);
      expect(empty.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await empty.close();
    }
  });
});
