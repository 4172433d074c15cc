import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DEMO_REALMS } from '../src/qbo/seed.js';
import { type Tokens, connect, control, faultOf, qbo } from './helpers.js';

let sandbox: RunningSandbox;
let tokens: Tokens;
const realmId = DEMO_REALMS.us;

const salesLine = (amount: number) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: '3' } } });

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  tokens = await connect(sandbox.url, realmId);
});

afterAll(async () => {
  await sandbox.close();
});

const api = (path: string, body?: unknown) => qbo(sandbox.url, tokens.access_token, realmId, path, body === undefined ? {} : { body });

describe('QBO reference lists and employees', () => {
  it('serves the seeded items, accounts and terms, and creates new ones with unique names', async () => {
    expect((await api('item/1')).body.Item).toMatchObject({ Name: 'Services', Type: 'Service', IncomeAccountRef: { value: '1' } });
    expect((await api('account/6')).body.Account).toMatchObject({ Name: 'Office Expenses', AccountType: 'Expense' });
    const term = await api('term', { Name: 'Net 45', DueDays: 45 });
    expect(term.body.Term).toMatchObject({ Name: 'Net 45', DueDays: 45, SyncToken: '0' });
    expect(faultOf((await api('term', { Name: 'net 45' })).body).code).toBe('6240');
    const items = await api(`query?query=${encodeURIComponent("select * from Item where Name = 'Consulting'")}`);
    expect((items.body.QueryResponse as { Item: { Id: string }[] }).Item.map((i) => i.Id)).toEqual(['3']);
  });

  it('employees share the DisplayName namespace with customers and vendors', async () => {
    const clash = await api('employee', { DisplayName: 'Bayside Plumbing Co', GivenName: 'Bay' });
    expect(faultOf(clash.body)).toMatchObject({ code: '6240', Detail: 'The name supplied already exists. : Id=2' });
    const created = await api('employee', { GivenName: 'Ada', FamilyName: 'Lovelace' });
    expect(created.body.Employee).toMatchObject({ DisplayName: 'Ada Lovelace', Active: true });
    const customer = await api('customer', { DisplayName: 'Ada Lovelace' });
    expect(faultOf(customer.body).code).toBe('6240');
  });
});

describe('QBO sales forms', () => {
  it('creates a sales receipt, credit memo and estimate with Qty × UnitPrice lines computed in cents', async () => {
    const qtyLine = { DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '3' }, Qty: 3, UnitPrice: 19.99 } };
    const receipt = await api('salesreceipt', { CustomerRef: { value: '2' }, Line: [qtyLine] });
    expect(receipt.body.SalesReceipt).toMatchObject({ TotalAmt: 59.97, Balance: 0 });
    const memo = await api('creditmemo', { CustomerRef: { value: '2' }, Line: [salesLine(12.34)] });
    expect(memo.body.CreditMemo).toMatchObject({ TotalAmt: 12.34, RemainingCredit: 12.34 });
    const estimate = await api('estimate', { CustomerRef: { value: '2' }, Line: [salesLine(500)] });
    expect(estimate.body.Estimate).toMatchObject({ TotalAmt: 500, TxnStatus: 'Pending' });
    const voidEstimate = await qbo(sandbox.url, tokens.access_token, realmId, 'estimate?operation=void', {
      body: { Id: (estimate.body.Estimate as { Id: string }).Id, SyncToken: '0' },
    });
    expect(faultOf(voidEstimate.body).code).toBe('500');
  });

  it('refuses an invoice without lines (2020) or with a line missing its detail (2020 naming it)', async () => {
    expect(faultOf((await api('invoice', { CustomerRef: { value: '2' } })).body)).toMatchObject({ code: '2020', element: 'Line' });
    const missing = await api('invoice', { CustomerRef: { value: '2' }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 1 }] });
    expect(faultOf(missing.body)).toMatchObject({ code: '2020', element: 'Line.SalesItemLineDetail' });
  });

  it('finds invoices by CustomerRef and TotalAmt', async () => {
    await api('invoice', { CustomerRef: { value: '3' }, Line: [salesLine(250)] });
    await api('invoice', { CustomerRef: { value: '3' }, Line: [salesLine(20)] });
    const found = await api(`query?query=${encodeURIComponent("select * from Invoice where CustomerRef = '3' and TotalAmt > '100'")}`);
    expect((found.body.QueryResponse as { Invoice: { TotalAmt: number }[] }).Invoice.map((i) => i.TotalAmt)).toEqual([250]);
  });
});

describe('QBO batch rules', () => {
  it('refuses more than 30 items and an empty batch as a whole', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: String(i), Query: 'select * from Customer' }));
    const tooMany = await api('batch', { BatchItemRequest: items });
    expect(tooMany.status).toBe(400);
    expect(faultOf(tooMany.body).Detail).toMatch(/31 BatchItemRequest items; the limit is 30/);
    expect(faultOf((await api('batch', { BatchItemRequest: [] })).body).Detail).toBe('Batch Request is Empty');
  });

  it('replays a whole batch for a repeated requestid; limits requestid to 36 and bIds to 10 characters', async () => {
    const body = { BatchItemRequest: [{ bId: 'c1', operation: 'create', Customer: { DisplayName: 'Batch Replay Co' } }] };
    const first = await qbo(sandbox.url, tokens.access_token, realmId, 'batch?requestid=5f0c2d1e-batch-replay', { body });
    const second = await qbo(sandbox.url, tokens.access_token, realmId, 'batch?requestid=5f0c2d1e-batch-replay', { body });
    expect(second.body).toEqual(first.body);
    const long = await qbo(sandbox.url, tokens.access_token, realmId, `batch?requestid=${'x'.repeat(37)}`, { body });
    expect(faultOf(long.body)).toMatchObject({ code: '6000', element: 'requestid' });
    const longBid = await qbo(sandbox.url, tokens.access_token, realmId, 'batch?requestid=short-1', {
      body: { BatchItemRequest: [{ bId: 'eleven-char', Query: 'select * from Customer' }] },
    });
    const item = (longBid.body.BatchItemResponse as Record<string, unknown>[])[0];
    expect(faultOf(item)).toMatchObject({ code: '6000', element: 'bId' });
  });
});

describe('QBO control additions', () => {
  it('seeds a company of a given size whose invoices add up on the customers', async () => {
    const res = await control(sandbox.url, '/qbo/companies', { name: 'Sized Co', customers: 50, vendors: 10, invoices: 120 });
    expect(res.status).toBe(201);
    const { realmId: sized } = res.body as { realmId: string };
    const invoices = (await control(sandbox.url, `/qbo/companies/${sized}/invoices?limit=1000`)).body as { total: number; invoices: { TotalAmt: number; CustomerRef: { value: string } }[] };
    expect(invoices.total).toBe(120);
    const customers = (await control(sandbox.url, `/qbo/companies/${sized}/customers`)).body as { Id: string; Balance: number }[];
    expect(customers).toHaveLength(50);
    const first = customers[0];
    const owed = invoices.invoices.filter((i) => i.CustomerRef.value === first?.Id).reduce((sum, i) => sum + Math.round(i.TotalAmt * 100), 0);
    expect(Math.round((first?.Balance ?? 0) * 100)).toBe(owed);
    expect((await control(sandbox.url, '/qbo/companies', { name: 'Too Big', customers: 1_000_001 })).status).toBe(400);
  });

  it('switches duplicate DocNumbers to allowed per company', async () => {
    await api('invoice', { CustomerRef: { value: '2' }, DocNumber: 'SW-1', Line: [salesLine(1)] });
    expect(faultOf((await api('invoice', { CustomerRef: { value: '2' }, DocNumber: 'SW-1', Line: [salesLine(1)] })).body).code).toBe('6140');
    expect((await control(sandbox.url, `/qbo/companies/${realmId}/settings`, { duplicateDocNumbers: 'allow' })).status).toBe(200);
    expect((await api('invoice', { CustomerRef: { value: '2' }, DocNumber: 'SW-1', Line: [salesLine(1)] })).status).toBe(200);
  });
});
