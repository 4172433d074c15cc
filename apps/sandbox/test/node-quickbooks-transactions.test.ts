import { createRequire } from 'node:module';
import type { QuickBooks as QuickBooksClass, QuickBooksCallback } from 'node-quickbooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSandbox, SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv, startSandbox } from '../src/index.js';
import { connect, control, faultOf } from './helpers.js';

// node-quickbooks is CommonJS (module.exports = QuickBooks) while its typings declare a default
// export, so it is loaded with require and typed from its declarations (vendor boundary).
const QuickBooks = createRequire(import.meta.url)('node-quickbooks') as typeof QuickBooksClass;
const originalBase = QuickBooks.V3_ENDPOINT_BASE_URL;

interface Txn {
  Id: string;
  SyncToken: string;
  DocNumber?: string;
  TotalAmt: number;
  Balance?: number;
  UnappliedAmt?: number;
  PrivateNote?: string;
  LinkedTxn?: { TxnId: string; TxnType: string }[];
  Line: { Amount: number; DetailType?: string }[];
  CustomerRef?: { value: string; name?: string };
}

interface Customer {
  Id: string;
  SyncToken: string;
  DisplayName: string;
  Balance: number;
}

let sandbox: RunningSandbox;
let qbo: QuickBooksClass;
let realmId: string;

function call<T>(run: (callback: QuickBooksCallback<unknown>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((err, data) => {
      if (err) {
        const response = (err as { response?: { data?: unknown } }).response;
        reject(response?.data ?? err);
      } else resolve(data as T);
    });
  });
}

async function fault(promise: Promise<unknown>): Promise<ReturnType<typeof faultOf>> {
  return promise.then(
    () => {
      throw new Error('expected a QuickBooks fault');
    },
    (body: unknown) => faultOf(body),
  );
}

const line = (amount: number, itemId = '1') => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { ItemRef: { value: itemId } } });

async function newCustomer(name: string): Promise<Customer> {
  return call<Customer>((cb) => qbo.createCustomer({ DisplayName: name }, cb));
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  QuickBooks.V3_ENDPOINT_BASE_URL = `${sandboxConnectorEnv(sandbox.url).LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL ?? ''}/v3/company/`;
  const companies = (await control(sandbox.url, '/qbo/companies')).body as { realmId: string; name: string }[];
  realmId = companies.find((c) => c.name === 'Sandbox Company US')?.realmId ?? '';
  const tokens = await connect(sandbox.url, realmId);
  qbo = new QuickBooks(SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, tokens.access_token, false, realmId, true, false, null, '2.0', tokens.refresh_token);
});

afterAll(async () => {
  QuickBooks.V3_ENDPOINT_BASE_URL = originalBase;
  await sandbox.close();
});

describe('invoices and payments through node-quickbooks', () => {
  it('computes TotalAmt exactly in cents, numbers the invoice and raises the customer balance', async () => {
    const customer = await newCustomer('Invoice Totals Co');
    const invoice = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(0.1), line(0.2), line(19.99)] }, cb));
    expect(invoice.TotalAmt).toBe(20.29);
    expect(invoice.Balance).toBe(20.29);
    expect(invoice.DocNumber).toMatch(/^\d+$/);
    expect(invoice.CustomerRef).toEqual({ value: customer.Id, name: 'Invoice Totals Co' });
    const read = await call<Txn>((cb) => qbo.getInvoice(invoice.Id, cb));
    expect(read).toEqual(invoice);
    const after = await call<Customer>((cb) => qbo.getCustomer(customer.Id, cb));
    expect(after.Balance).toBe(20.29);
  });

  it('applies a payment to an invoice (LinkedTxn), lowering its Balance; voiding the payment restores it', async () => {
    const customer = await newCustomer('Payment Applies Ltd');
    const invoice = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(100)] }, cb));
    const payment = await call<Txn>((cb) =>
      qbo.createPayment({ CustomerRef: { value: customer.Id }, TotalAmt: 70, Line: [{ Amount: 60, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }] }, cb),
    );
    expect(payment.UnappliedAmt).toBe(10);
    const paid = await call<Txn>((cb) => qbo.getInvoice(invoice.Id, cb));
    expect(paid.Balance).toBe(40);
    expect(paid.LinkedTxn).toEqual([{ TxnId: payment.Id, TxnType: 'Payment' }]);
    expect((await call<Customer>((cb) => qbo.getCustomer(customer.Id, cb))).Balance).toBe(40);

    const tooMuch = await fault(
      call((cb) => qbo.createPayment({ CustomerRef: { value: customer.Id }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }] }, cb)),
    );
    expect(tooMuch.code).toBe('6000');

    const voided = await call<Txn>((cb) => qbo.voidPayment({ Id: payment.Id, SyncToken: payment.SyncToken }, cb));
    expect(voided.TotalAmt).toBe(0);
    expect((await call<Txn>((cb) => qbo.getInvoice(invoice.Id, cb))).Balance).toBe(100);
  });

  it('voids an invoice (amounts zero, record kept) and deletes another (later reads answer 610)', async () => {
    const customer = await newCustomer('Void And Delete Inc');
    const first = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(15)] }, cb));
    const voided = (await call<{ Invoice: Txn }>((cb) => qbo.voidInvoice(first, cb))).Invoice;
    expect(voided).toMatchObject({ Id: first.Id, TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' });

    const second = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(25)] }, cb));
    const deleted = await call<{ Invoice: { status: string; Id: string } }>((cb) => qbo.deleteInvoice(second.Id, cb));
    expect(deleted.Invoice).toEqual({ status: 'Deleted', domain: 'QBO', Id: second.Id });
    expect((await fault(call((cb) => qbo.getInvoice(second.Id, cb)))).code).toBe('610');
    expect((await call<Customer>((cb) => qbo.getCustomer(customer.Id, cb))).Balance).toBe(0);
  });

  it('refuses a duplicate DocNumber with 6140 unless include=allowduplicatedocnum', async () => {
    const customer = await newCustomer('Doc Number Traders');
    await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, DocNumber: 'INV-DUP-1', Line: [line(5)] }, cb));
    const duplicate = await fault(call((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, DocNumber: 'INV-DUP-1', Line: [line(5)] }, cb)));
    expect(duplicate).toMatchObject({ code: '6140', element: 'DocNumber' });
    const allowed = await call<Txn>((cb) =>
      qbo.createInvoice({ CustomerRef: { value: customer.Id }, DocNumber: 'INV-DUP-1', Line: [line(5)], allowDuplicateDocNum: true } as never, cb),
    );
    expect(allowed.DocNumber).toBe('INV-DUP-1');
  });

  it('answers 610 for an unknown item, an inactive customer and an unknown vendor; 5010 for a stale invoice update', async () => {
    const customer = await newCustomer('Reference Checks Co');
    const item = await fault(call((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(5, '999')] }, cb)));
    expect(item).toMatchObject({ code: '610', element: 'Line.SalesItemLineDetail.ItemRef' });
    const inactive = await fault(call((cb) => qbo.createInvoice({ CustomerRef: { value: '7' }, Line: [line(5)] }, cb)));
    expect(inactive).toMatchObject({ code: '610', element: 'CustomerRef' });
    const vendor = await fault(
      call((cb) =>
        qbo.createBill({ VendorRef: { value: '4242' }, Line: [{ DetailType: 'AccountBasedExpenseLineDetail', Amount: 1, AccountBasedExpenseLineDetail: { AccountRef: { value: '6' } } }] }, cb),
      ),
    );
    expect(vendor).toMatchObject({ code: '610', element: 'VendorRef' });

    const invoice = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(5)] }, cb));
    const updated = await call<Txn>((cb) => qbo.updateInvoice({ Id: invoice.Id, SyncToken: invoice.SyncToken, sparse: true, Line: [line(7.5)] }, cb));
    expect(updated).toMatchObject({ SyncToken: '1', TotalAmt: 7.5 });
    const stale = await fault(call((cb) => qbo.updateInvoice({ Id: invoice.Id, SyncToken: '0', sparse: true, PrivateNote: 'late' }, cb)));
    expect(stale.code).toBe('5010');
  });

  it('creates a bill with account-based expense lines against a seeded vendor and account', async () => {
    const bill = await call<Txn>((cb) =>
      qbo.createBill(
        {
          VendorRef: { value: '9' },
          DocNumber: 'B-100',
          Line: [
            { DetailType: 'AccountBasedExpenseLineDetail', Amount: 120.45, AccountBasedExpenseLineDetail: { AccountRef: { value: '6' } } },
            { DetailType: 'AccountBasedExpenseLineDetail', Amount: 0.55, AccountBasedExpenseLineDetail: { AccountRef: { value: '7' } } },
          ],
        },
        cb,
      ),
    );
    expect(bill).toMatchObject({ TotalAmt: 121, Balance: 121, DocNumber: 'B-100' });
    const found = await call<{ QueryResponse: { Bill?: Txn[] } }>((cb) => qbo.findBills({ DocNumber: 'B-100' }, cb));
    expect(found.QueryResponse.Bill?.map((b) => b.Id)).toEqual([bill.Id]);
  });
});

describe('batch and CDC through node-quickbooks', () => {
  it('runs mixed good and bad items, each answered under its bId; items do not see each other\'s creates', async () => {
    // Customers and vendors share one Id sequence, so the batch's customer will get the next Id.
    const before = await newCustomer('Before The Batch Co');
    const nextId = String(Number(before.Id) + 1);
    const result = await call<{ BatchItemResponse: Record<string, unknown>[] }>((cb) =>
      qbo.batch(
        [
          { bId: 'ok', operation: 'create', Customer: { DisplayName: 'Batch Made Customer' } },
          { bId: 'dup', operation: 'create', Customer: { DisplayName: 'Acme Pty Ltd' } },
          { bId: 'stale', operation: 'update', Customer: { Id: '2', SyncToken: '99', DisplayName: 'Nope' } },
          { bId: 'q', Query: "select * from Customer where DisplayName = 'Bayside Plumbing Co'" },
          { bId: 'inv', operation: 'create', Invoice: { CustomerRef: { value: nextId }, Line: [line(1)] } },
        ] as never,
        cb,
      ),
    );
    const byId = new Map(result.BatchItemResponse.map((item) => [item.bId as string, item]));
    expect(byId.get('ok')?.Customer).toMatchObject({ DisplayName: 'Batch Made Customer' });
    expect(faultOf(byId.get('dup')).code).toBe('6240');
    expect(faultOf(byId.get('stale')).code).toBe('5010');
    expect((byId.get('q')?.QueryResponse as { Customer: { Id: string }[] }).Customer[0]?.Id).toBe('2');
    const createdId = (byId.get('ok')?.Customer as { Id: string }).Id;
    // The invoice names a customer id nobody had before the batch began: 610 even if 'ok' made it.
    expect(createdId).toBe(nextId);
    expect(faultOf(byId.get('inv')).code).toBe('610');
  });

  it('reports changes since a time, deleted invoices as status Deleted, and refuses windows beyond 30 days', async () => {
    const since = new Date().toISOString();
    const customer = await newCustomer('CDC Watcher Ltd');
    const invoice = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(9)] }, cb));
    await call((cb) => qbo.deleteInvoice(invoice, cb));
    const cdc = await call<{ CDCResponse: { QueryResponse: Record<string, unknown>[] }[] }>((cb) => qbo.changeDataCapture(['Customer', 'Invoice'], since, cb));
    const [customers, invoices] = cdc.CDCResponse[0]?.QueryResponse ?? [];
    expect((customers?.Customer as Customer[]).map((c) => c.DisplayName)).toContain('CDC Watcher Ltd');
    expect(invoices?.Invoice).toEqual([expect.objectContaining({ status: 'Deleted', Id: invoice.Id, domain: 'QBO' })]);

    const old = await fault(call((cb) => qbo.changeDataCapture(['Customer'], new Date(Date.now() - 31 * 86_400_000).toISOString(), cb)));
    expect(old).toMatchObject({ code: '6000', element: 'changedSince' });
  });

  it('answers 429 with the ThrottleExceeded fault (3001) when the burst fault is on, then recovers', async () => {
    expect((await control(sandbox.url, '/faults/qbo', { burst429: 1 })).status).toBe(200);
    const throttled = await fault(call((cb) => qbo.getCustomer('2', cb)));
    expect(throttled).toMatchObject({ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' });
    const after = await call<Customer>((cb) => qbo.getCustomer('2', cb));
    expect(after.Id).toBe('2');
  });
});

describe('credit memos applied by payments through node-quickbooks', () => {
  it('a payment uses a credit memo (LinkedTxn CreditMemo) against an invoice: the credit memo keeps what is left, UnappliedAmt counts the credit', async () => {
    const customer = await newCustomer('Credit Applies Pty');
    const invoice = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(100)] }, cb));
    const credit = await call<Txn & { RemainingCredit: number }>((cb) => qbo.createCreditMemo({ CustomerRef: { value: customer.Id }, Line: [line(30.05)] }, cb));
    expect(credit.RemainingCredit).toBe(30.05);
    const payment = await call<Txn>((cb) =>
      qbo.createPayment(
        {
          CustomerRef: { value: customer.Id },
          TotalAmt: 79.95,
          Line: [
            { Amount: 100, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] },
            { Amount: 20.05, LinkedTxn: [{ TxnId: credit.Id, TxnType: 'CreditMemo' }] },
          ],
        },
        cb,
      ),
    );
    expect(payment.UnappliedAmt).toBe(0);
    expect((await call<Txn>((cb) => qbo.getInvoice(invoice.Id, cb))).Balance).toBe(0);
    const used = await call<Txn & { RemainingCredit: number }>((cb) => qbo.getCreditMemo(credit.Id, cb));
    expect(used.RemainingCredit).toBe(10);
    expect(used.Balance).toBe(10);
    expect(used.LinkedTxn).toEqual([{ TxnId: payment.Id, TxnType: 'Payment' }]);

    // More credit than is left, credit without an invoice to absorb it, and another customer's credit memo are refused.
    const invoice2 = await call<Txn>((cb) => qbo.createInvoice({ CustomerRef: { value: customer.Id }, Line: [line(50)] }, cb));
    const overused = await fault(
      call((cb) =>
        qbo.createPayment(
          { CustomerRef: { value: customer.Id }, TotalAmt: 30, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: invoice2.Id, TxnType: 'Invoice' }] }, { Amount: 20, LinkedTxn: [{ TxnId: credit.Id, TxnType: 'CreditMemo' }] }] },
          cb,
        ),
      ),
    );
    expect(overused).toMatchObject({ code: '6000', element: 'Line.Amount' });
    const creditOnly = await fault(call((cb) => qbo.createPayment({ CustomerRef: { value: customer.Id }, TotalAmt: 0, Line: [{ Amount: 5, LinkedTxn: [{ TxnId: credit.Id, TxnType: 'CreditMemo' }] }] }, cb)));
    expect(creditOnly.code).toBe('6000');
    const stranger = await newCustomer('Credit Stranger Co');
    const foreign = await fault(
      call((cb) =>
        qbo.createPayment(
          { CustomerRef: { value: stranger.Id }, TotalAmt: 0, Line: [{ Amount: 5, LinkedTxn: [{ TxnId: credit.Id, TxnType: 'CreditMemo' }] }] },
          cb,
        ),
      ),
    );
    expect(foreign).toMatchObject({ code: '6000', element: 'Line.LinkedTxn' });

    // A credit memo whose credit is in use cannot be deleted; voiding the payment gives the credit back.
    const refused = await fault(call((cb) => qbo.deleteCreditMemo({ Id: used.Id, SyncToken: used.SyncToken }, cb)));
    expect(refused.code).toBe('6000');
    await call((cb) => qbo.voidPayment({ Id: payment.Id, SyncToken: payment.SyncToken }, cb));
    const restored = await call<Txn & { RemainingCredit: number }>((cb) => qbo.getCreditMemo(credit.Id, cb));
    expect(restored.RemainingCredit).toBe(30.05);
    expect(restored.LinkedTxn).toEqual([]);
    expect((await call<Txn>((cb) => qbo.getInvoice(invoice.Id, cb))).Balance).toBe(100);
  });
});

describe('the 10 requests per second limit through node-quickbooks', () => {
  it('when switched on for a company, the 11th request within a second is answered 429/3001 and the next second admits again', async () => {
    expect((await control(sandbox.url, `/qbo/companies/${realmId}/settings`, { requestsPerSecond: 'enforce' })).body).toMatchObject({ requestsPerSecond: 'enforce' });
    // Sandbox time stands still (only Date is faked), so all requests fall in one second whatever the machine's speed.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      for (let i = 0; i < 10; i += 1) await call((cb) => qbo.getCompanyInfo(realmId, cb));
      const refused = await fault(call((cb) => qbo.getCompanyInfo(realmId, cb)));
      expect(refused).toMatchObject({ code: '3001', Detail: expect.stringContaining('realm-per-second') });
      vi.setSystemTime(Date.now() + 1_000);
      await expect(call((cb) => qbo.getCompanyInfo(realmId, cb))).resolves.toBeDefined();
    } finally {
      vi.useRealTimers();
      await control(sandbox.url, `/qbo/companies/${realmId}/settings`, { requestsPerSecond: 'off' });
    }
    // Off (the default): a burst of 12 passes.
    for (let i = 0; i < 12; i += 1) await call((cb) => qbo.getCompanyInfo(realmId, cb));
  });
});
