import { createRequire } from 'node:module';
import type { QuickBooks as QuickBooksClass, QuickBooksCallback } from 'node-quickbooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv, startSandbox } from '../src/index.js';
import { connect, control, faultOf } from './helpers.js';

// node-quickbooks is CommonJS while its typings declare a default export (vendor boundary).
const QuickBooks = createRequire(import.meta.url)('node-quickbooks') as typeof QuickBooksClass;
const originalBase = QuickBooks.V3_ENDPOINT_BASE_URL;

interface Customer {
  Id: string;
  SyncToken: string;
  DisplayName: string;
  FullyQualifiedName: string;
  Job: boolean;
  BillWithParent: boolean;
  Level?: number;
  ParentRef?: { value: string; name?: string };
  RootCustomerRef?: { value: string; name?: string };
  Balance: number;
  BalanceWithJobs: number;
}

let sandbox: RunningSandbox;
let qbo: QuickBooksClass;

function call<T>(run: (callback: QuickBooksCallback<unknown>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((err, data) => {
      if (err) reject((err as { response?: { data?: unknown } }).response?.data ?? err);
      else resolve(data as T);
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

const create = (body: Record<string, unknown>) => call<Customer>((cb) => qbo.createCustomer(body, cb));
const sub = (name: string, parent: Customer, extra: Record<string, unknown> = {}) => create({ DisplayName: name, Job: true, ParentRef: { value: parent.Id }, ...extra });

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  QuickBooks.V3_ENDPOINT_BASE_URL = `${sandboxConnectorEnv(sandbox.url).LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL ?? ''}/v3/company/`;
  const companies = (await control(sandbox.url, '/qbo/companies')).body as { realmId: string; name: string }[];
  const realmId = companies.find((c) => c.name === 'Sandbox Company US')?.realmId ?? '';
  const tokens = await connect(sandbox.url, realmId);
  qbo = new QuickBooks(SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, tokens.access_token, false, realmId, true, false, null, '2.0', tokens.refresh_token);
});

afterAll(async () => {
  QuickBooks.V3_ENDPOINT_BASE_URL = originalBase;
  await sandbox.close();
});

describe('sub-customers and jobs through node-quickbooks', () => {
  it('nests customers with ParentRef and Job, deriving Level, RootCustomerRef and FullyQualifiedName "Parent:Child"', async () => {
    const parent = await create({ DisplayName: 'Harbour Holdings' });
    expect(parent).toMatchObject({ Job: false, FullyQualifiedName: 'Harbour Holdings' });
    expect(parent.Level).toBeUndefined();
    const child = await sub('Harbour Retail', parent, { BillWithParent: true });
    expect(child).toMatchObject({ Job: true, BillWithParent: true, Level: 1, FullyQualifiedName: 'Harbour Holdings:Harbour Retail', ParentRef: { value: parent.Id }, RootCustomerRef: { value: parent.Id, name: 'Harbour Holdings' } });
    const job = await sub('Harbour Retail Fitout', child);
    expect(job).toMatchObject({ Level: 2, FullyQualifiedName: 'Harbour Holdings:Harbour Retail:Harbour Retail Fitout', ParentRef: { value: child.Id, name: 'Harbour Holdings:Harbour Retail' }, RootCustomerRef: { value: parent.Id } });

    // Renaming the parent renames the whole path; the children are found by ParentRef.
    await call((cb) => qbo.updateCustomer({ Id: parent.Id, SyncToken: parent.SyncToken, sparse: true, DisplayName: 'Harbour Group' }, cb));
    expect((await call<Customer>((cb) => qbo.getCustomer(job.Id, cb))).FullyQualifiedName).toBe('Harbour Group:Harbour Retail:Harbour Retail Fitout');
    const children = await call<{ QueryResponse: { Customer?: Customer[] } }>((cb) => qbo.findCustomers([{ field: 'ParentRef', value: parent.Id }], cb));
    expect(children.QueryResponse.Customer?.map((c) => c.Id)).toEqual([child.Id]);
  });

  it("rolls sub-customers' invoices up into the parent's BalanceWithJobs", async () => {
    const parent = await create({ DisplayName: 'Rollup Parent' });
    const child = await sub('Rollup Child', parent, { BillWithParent: true });
    await call((cb) => qbo.createInvoice({ CustomerRef: { value: child.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 120.5, SalesItemLineDetail: { ItemRef: { value: '1' } } }] }, cb));
    await call((cb) => qbo.createInvoice({ CustomerRef: { value: parent.Id }, Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10.25, SalesItemLineDetail: { ItemRef: { value: '1' } } }] }, cb));
    const read = await call<Customer>((cb) => qbo.getCustomer(parent.Id, cb));
    expect(read.Balance).toBe(10.25);
    expect(read.BalanceWithJobs).toBe(130.75);
    expect((await call<Customer>((cb) => qbo.getCustomer(child.Id, cb))).BalanceWithJobs).toBe(120.5);
  });

  it('refuses a job without a parent, BillWithParent on a top-level customer, an unknown parent, cycles and a sixth level', async () => {
    expect(await fault(create({ DisplayName: 'Orphan Job', Job: true }))).toMatchObject({ code: '2020' });
    expect(await fault(create({ DisplayName: 'Lonely Biller', BillWithParent: true }))).toMatchObject({ code: '6000', element: 'BillWithParent' });
    expect(await fault(create({ DisplayName: 'Lost Child', Job: true, ParentRef: { value: '999999' } }))).toMatchObject({ code: '610', element: 'ParentRef' });
    expect(await fault(create({ DisplayName: 'Half Child', ParentRef: { value: '1' } }))).toMatchObject({ code: '6000', element: 'Job' });

    let level = await create({ DisplayName: 'Level 0' });
    const top = level;
    for (let n = 1; n <= 4; n += 1) level = await sub(`Level ${n}`, level);
    expect(level.Level).toBe(4);
    expect(await fault(sub('Level 5', level))).toMatchObject({ code: '6000', element: 'ParentRef' });
    const fresh = await call<Customer>((cb) => qbo.getCustomer(top.Id, cb));
    const cycle = await fault(call((cb) => qbo.updateCustomer({ Id: fresh.Id, SyncToken: fresh.SyncToken, sparse: true, Job: true, ParentRef: { value: level.Id } }, cb)));
    expect(cycle).toMatchObject({ code: '6000', element: 'ParentRef' });
  });
});
