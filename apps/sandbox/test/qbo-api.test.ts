import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { type Tokens, connect, control, faultOf, qbo } from './helpers.js';

let sandbox: RunningSandbox;
let us: string;
let au: string;
let tokens: Tokens;

const QBO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$/;

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  const companies = (await control(sandbox.url, '/qbo/companies')).body as { realmId: string; name: string }[];
  us = companies.find((c) => c.name === 'Sandbox Company US')?.realmId ?? '';
  au = companies.find((c) => c.name === 'Harbour Goods Ltd')?.realmId ?? '';
  tokens = await connect(sandbox.url, us);
});

afterAll(async () => {
  await sandbox.close();
});

describe('QBO API authentication', () => {
  it('answers 401 in Intuit’s shape without a token, with intuit_tid', async () => {
    const res = await qbo(sandbox.url, undefined, us, `companyinfo/${us}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('intuit_tid')).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(res.body).toMatchObject({ Fault: { type: 'AUTHENTICATION', Error: [{ code: '3200', Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' }] } });
    expect(res.body.time).toMatch(QBO_TIME);
  });

  it('answers 403 when a token is used on a company it was not issued for', async () => {
    const res = await qbo(sandbox.url, tokens.access_token, au, `companyinfo/${au}`);
    expect(res.status).toBe(403);
    expect(faultOf(res.body).code).toBe('3100');
  });

  it('answers 401 for a token the sandbox never issued', async () => {
    const res = await qbo(sandbox.url, 'not-a-token', us, `customer/1`);
    expect(res.status).toBe(401);
    expect(faultOf(res.body).Detail).toMatch(/^Token invalid/);
  });
});

describe('QBO API entities', () => {
  it('reads CompanyInfo with a time in the company’s offset', async () => {
    const res = await qbo(sandbox.url, tokens.access_token, us, `companyinfo/${us}?minorversion=75`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ CompanyInfo: { CompanyName: 'Sandbox Company US', Country: 'US', Id: '1' } });
    expect(res.body.time).toMatch(QBO_TIME);
  });

  it('answers 610 for an unknown customer Id', async () => {
    const res = await qbo(sandbox.url, tokens.access_token, us, 'customer/99999');
    expect(res.status).toBe(400);
    expect(faultOf(res.body)).toMatchObject({ code: '610', Message: 'Object Not Found' });
  });

  it('refuses a colon in DisplayName (2040) and an empty body (2310)', async () => {
    const colon = await qbo(sandbox.url, tokens.access_token, us, 'customer', { body: { DisplayName: 'Rob:Barnett:Company' } });
    expect(faultOf(colon.body)).toMatchObject({ code: '2040', element: 'DisplayName' });
    const empty = await qbo(sandbox.url, tokens.access_token, us, 'customer', { method: 'POST', body: '' });
    expect(faultOf(empty.body)).toMatchObject({ code: '2310', Detail: 'ObjectParserError: Request Body is Empty' });
  });

  it('never deletes a customer: operation=delete is refused and the customer stays', async () => {
    const res = await qbo(sandbox.url, tokens.access_token, us, 'customer?operation=delete', { body: { Id: '2', SyncToken: '0' } });
    expect(res.status).toBe(400);
    expect(faultOf(res.body).Detail).toMatch(/Active": false/);
    expect((await qbo(sandbox.url, tokens.access_token, us, 'customer/2')).status).toBe(200);
  });

  it('inactivates with a sparse update; the name stays taken', async () => {
    const read = await qbo(sandbox.url, tokens.access_token, us, 'customer/8');
    const customer = read.body.Customer as { Id: string; SyncToken: string; DisplayName: string };
    const res = await qbo(sandbox.url, tokens.access_token, us, 'customer?operation=update', { body: { Id: customer.Id, SyncToken: customer.SyncToken, sparse: true, Active: false } });
    expect(res.body.Customer).toMatchObject({ Active: false, SyncToken: '1' });
    const again = await qbo(sandbox.url, tokens.access_token, us, 'customer', { body: { DisplayName: customer.DisplayName } });
    expect(faultOf(again.body).Detail).toBe(`The name supplied already exists. : Id=${customer.Id}`);
  });

  it('refuses a requestid longer than 50 characters with the 6000 business validation error', async () => {
    const id = 'x'.repeat(51);
    const res = await qbo(sandbox.url, tokens.access_token, us, `customer?requestid=${id}`, { body: { DisplayName: 'Too Long Request' } });
    expect(res.status).toBe(400);
    expect(faultOf(res.body)).toMatchObject({ code: '6000' });
    expect(faultOf(res.body).Detail).toContain('You cannot enter more than 50 characters in the request_id field');
  });

  it('replays a fault for a repeated requestid too (same status and body)', async () => {
    const first = await qbo(sandbox.url, tokens.access_token, us, 'customer?requestid=dup-fault-1', { body: { DisplayName: 'Acme Pty Ltd' } });
    const second = await qbo(sandbox.url, tokens.access_token, us, 'customer?requestid=dup-fault-1', { body: { DisplayName: 'Acme Pty Ltd' } });
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(second.body).toEqual(first.body);
  });
});

describe('QBO query endpoint', () => {
  it('takes the statement as POST application/text', async () => {
    const auTokens = await connect(sandbox.url, au);
    const post = await qbo(sandbox.url, auTokens.access_token, au, 'query?minorversion=75', {
      body: "SELECT * FROM Customer WHERE DisplayName = 'Acme Pty Ltd'",
      contentType: 'application/text',
    });
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ QueryResponse: { Customer: [{ DisplayName: 'Acme Pty Ltd', CurrencyRef: { value: 'AUD' } }], startPosition: 1, maxResults: 1 } });
    expect(post.body.time).toMatch(/\+1[01]:00$/);
  });

  it('answers count(*) with totalCount, and a parse error with 4000', async () => {
    const count = await qbo(sandbox.url, tokens.access_token, us, `query?query=${encodeURIComponent('select count(*) from Customer where Active in (true, false)')}`);
    expect(count.body.QueryResponse).toEqual({ totalCount: 8 });
    const bad = await qbo(sandbox.url, tokens.access_token, us, `query?query=${encodeURIComponent('SELECT * FROM Customer WHERE')}`);
    expect(bad.status).toBe(400);
    expect(faultOf(bad.body)).toMatchObject({ code: '4000', Message: 'Error parsing query' });
    expect(faultOf(bad.body).Detail).toMatch(/^QueryParserError: Encountered " <EOF>" at line 1, column 29/);
  });
});
