import { createRequire } from 'node:module';
import type { QuickBooks as QuickBooksClass, QuickBooksCallback } from 'node-quickbooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv, startSandbox } from '../src/index.js';
import { connect, control, faultOf } from './helpers.js';

// node-quickbooks is CommonJS (module.exports = QuickBooks) while its typings declare a default
// export, so it is loaded with require and typed from its declarations (vendor boundary).
const QuickBooks = createRequire(import.meta.url)('node-quickbooks') as typeof QuickBooksClass;
const originalBase = QuickBooks.V3_ENDPOINT_BASE_URL;

interface Customer {
  Id: string;
  SyncToken: string;
  DisplayName: string;
  Active: boolean;
  PrimaryEmailAddr?: { Address: string };
  CompanyName?: string;
  MetaData: { CreateTime: string; LastUpdatedTime: string };
  domain: string;
  sparse: boolean;
}

interface QueryResult {
  QueryResponse: { Customer?: Customer[]; totalCount?: number; startPosition?: number; maxResults?: number };
  time: string;
}

let sandbox: RunningSandbox;
let qbo: QuickBooksClass;
let realmId: string;

/** Runs a node-quickbooks callback method as a promise; rejects with the QBO Fault body. */
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

describe('node-quickbooks against the sandbox', () => {
  it('creates a customer and reads it back with Id, SyncToken, MetaData and domain', async () => {
    const created = await call<Customer>((cb) =>
      qbo.createCustomer({ DisplayName: "King's Groceries", CompanyName: 'King Groceries', PrimaryEmailAddr: { Address: 'jdrew@myemail.com' } }, cb),
    );
    expect(created).toMatchObject({ DisplayName: "King's Groceries", SyncToken: '0', Active: true, domain: 'QBO', sparse: false });
    expect(created.Id).toMatch(/^\d+$/);
    expect(created.MetaData.CreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/);

    const read = await call<Customer>((cb) => qbo.getCustomer(created.Id, cb));
    expect(read).toEqual(created);
  });

  it('sparse update changes only what is sent and bumps SyncToken; a stale SyncToken gets 5010', async () => {
    const created = await call<Customer>((cb) => qbo.createCustomer({ DisplayName: 'Sparse Update Co', CompanyName: 'Sparse Update Company' }, cb));
    const updated = await call<Customer>((cb) =>
      qbo.updateCustomer({ Id: created.Id, SyncToken: created.SyncToken, PrimaryEmailAddr: { Address: 'ap@sparse.example.com' } }, cb),
    );
    expect(updated).toMatchObject({ Id: created.Id, SyncToken: '1', CompanyName: 'Sparse Update Company', PrimaryEmailAddr: { Address: 'ap@sparse.example.com' } });

    const stale = await fault(call((cb) => qbo.updateCustomer({ Id: created.Id, SyncToken: '0', DisplayName: 'Lost Update' }, cb)));
    expect(stale).toMatchObject({ code: '5010', Message: 'Stale Object Error' });
    const after = await call<Customer>((cb) => qbo.getCustomer(created.Id, cb));
    expect(after.DisplayName).toBe('Sparse Update Co');
  });

  it('answers 6240 naming the existing Id for a taken DisplayName, across case, inactive customers and vendors', async () => {
    const acme = await fault(call((cb) => qbo.createCustomer({ DisplayName: 'acme pty ltd' }, cb)));
    expect(acme).toMatchObject({ code: '6240', Message: 'Duplicate Name Exists Error', Detail: 'The name supplied already exists. : Id=1' });

    const inactive = await fault(call((cb) => qbo.createCustomer({ DisplayName: 'Granite Peak Outfitters' }, cb)));
    expect(inactive.Detail).toBe('The name supplied already exists. : Id=7');

    const vendor = await fault(call((cb) => qbo.createCustomer({ DisplayName: 'Pacific Office Supply' }, cb)));
    expect(vendor.Detail).toBe('The name supplied already exists. : Id=9');
  });

  it('replays the first response for a repeated requestid without creating twice', async () => {
    const first = await call<Customer>((cb) => qbo.createCustomer({ DisplayName: 'Replay Traders', requestId: 'b9c1a0e2-7d4f-4c53-9d2a-0f6f5e8a1c11' }, cb));
    const second = await call<Customer>((cb) => qbo.createCustomer({ DisplayName: 'Replay Traders', requestId: 'b9c1a0e2-7d4f-4c53-9d2a-0f6f5e8a1c11' }, cb));
    expect(second).toEqual(first);
    const count = await call<QueryResult>((cb) => qbo.findCustomers([{ field: 'DisplayName', value: 'Replay Traders' }, { count: true }], cb));
    expect(count.QueryResponse.totalCount).toBe(1);

    // Without requestid the same body is a second create, which the name rule refuses.
    const again = await fault(call((cb) => qbo.createCustomer({ DisplayName: 'Replay Traders' }, cb)));
    expect(again.code).toBe('6240');
  });

  it('findCustomers: LIKE, escaped quotes, active-only by default, Active = false, ordering and paging', async () => {
    const like = await call<QueryResult>((cb) => qbo.findCustomers([{ field: 'DisplayName', value: '%Bakery%', operator: 'LIKE' }], cb));
    expect(like.QueryResponse.Customer?.map((c) => c.DisplayName)).toEqual(['Fulton Street Bakery']);

    const quoted = await call<QueryResult>((cb) => qbo.findCustomers({ DisplayName: "King's Groceries" }, cb));
    expect(quoted.QueryResponse.Customer?.[0]?.CompanyName).toBe('King Groceries');

    const all = await call<QueryResult>((cb) => qbo.findCustomers({ fetchAll: true }, cb));
    const names = all.QueryResponse.Customer?.map((c) => c.DisplayName) ?? [];
    expect(names).toContain('Acme Pty Ltd');
    expect(names).not.toContain('Granite Peak Outfitters');

    const inactive = await call<QueryResult>((cb) => qbo.findCustomers({ Active: false }, cb));
    expect(inactive.QueryResponse.Customer?.map((c) => c.DisplayName)).toEqual(['Granite Peak Outfitters']);

    const page = await call<QueryResult>((cb) => qbo.findCustomers([{ field: 'desc', value: 'DisplayName' }, { field: 'limit', value: 2 }, { field: 'offset', value: 2 }], cb));
    const sorted = [...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase()));
    expect(page.QueryResponse).toMatchObject({ startPosition: 2, maxResults: 2 });
    expect(page.QueryResponse.Customer?.map((c) => c.DisplayName)).toEqual(sorted.slice(1, 3));

    const none = await call<QueryResult>((cb) => qbo.findCustomers({ DisplayName: 'Nobody By This Name' }, cb));
    expect(none.QueryResponse).toEqual({});
    expect(typeof none.time).toBe('string');
  });
});
