import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_XERO_CLIENT_ID, SANDBOX_XERO_CLIENT_SECRET, SANDBOX_XERO_DEMO_TENANTS, startSandbox } from '../src/index.js';
import { XERO_REDIRECT_URI, xeroConsent } from './xero-helpers.js';

// ajv-formats is CommonJS with `export default`; under NodeNext its default import is the module object (vendor boundary).
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Xero's own OpenAPI files: `<repo>/../shared/data/xero-openapi` (CI) or `/work/shared/…`. */
function specPath(file: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = resolve(here, '../../../../shared/data/xero-openapi', file);
  return existsSync(beside) ? beside : resolve('/work/shared/data/xero-openapi', file);
}

type Schema = Record<string, unknown>;

/** Fields real Xero sends that its spec leaves out: the envelope, and the ISO twins of date-only fields. */
const ENVELOPE = { Id: { type: 'string', format: 'uuid' }, Status: { type: 'string', enum: ['OK'] }, ProviderName: { type: 'string' }, DateTimeUTC: { type: 'string', pattern: '^/Date\\(\\d+\\)/$' } };
const DATE_TWINS = { DateString: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T00:00:00$' }, DueDateString: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T00:00:00$' } };
const WRAPPERS = new Set(['Contacts', 'Invoices', 'CreditNotes', 'Payments', 'Organisations', 'Allocations']);
/** Schemas whose instances echo what the client sent (Xero returns the submitted element). */
const OPEN = new Set(['Element', 'Error']);

/**
 * A copy of the components in which every object schema refuses properties it does not declare
 * (plus the known extras above), so a misspelt or invented field fails validation too.
 */
function closed(schemas: Record<string, Schema>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const copy = structuredClone(schema);
    if (typeof copy.properties === 'object' && copy.properties !== null && !OPEN.has(name)) {
      const extras = WRAPPERS.has(name) ? ENVELOPE : name === 'Invoice' || name === 'CreditNote' ? DATE_TWINS : {};
      copy.properties = { ...(copy.properties as Schema), ...extras };
      copy.additionalProperties = false;
    }
    out[name] = copy;
  }
  return out;
}

let sandbox: RunningSandbox;
let token: string;
const tenantId = SANDBOX_XERO_DEMO_TENANTS.au;
let validators: Map<string, ValidateFunction>;
let connectionsValidator: ValidateFunction;

function validator(name: string): ValidateFunction {
  const found = validators.get(name);
  if (found === undefined) throw new Error(`No schema ${name}`);
  return found;
}

function expectValid(name: string, body: unknown): void {
  const validate = validator(name);
  const ok = validate(body);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)).toEqual([]);
}

async function api(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${sandbox.url}/xero/api.xro/2.0${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenantId, accept: 'application/json', 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

beforeAll(async () => {
  const accounting = parse(readFileSync(specPath('xero_accounting.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const identity = parse(readFileSync(specPath('xero-identity.yaml'), 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'xero-accounting', components: { schemas: closed(accounting.components.schemas) } });
  ajv.addSchema({ $id: 'xero-identity', components: { schemas: closed(identity.components.schemas) } });
  validators = new Map();
  for (const name of ['Contacts', 'Invoices', 'CreditNotes', 'Payments', 'Organisations', 'Allocations', 'Error']) {
    validators.set(name, ajv.compile({ $ref: `xero-accounting#/components/schemas/${name}` }));
  }
  connectionsValidator = ajv.compile({ type: 'array', minItems: 1, items: { $ref: 'xero-identity#/components/schemas/Connection' } });

  sandbox = await startSandbox({ seedDemo: true });
  await fetch(`${sandbox.url}/_control/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
  const authorize = new URL(`${sandbox.url}/xero/identity/connect/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: SANDBOX_XERO_CLIENT_ID,
    redirect_uri: XERO_REDIRECT_URI,
    scope: 'offline_access accounting.contacts accounting.transactions accounting.settings.read',
  }).toString();
  const callback = new URL(await xeroConsent(authorize.toString(), tenantId));
  const res = await fetch(`${sandbox.url}/xero/identity/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SANDBOX_XERO_CLIENT_ID}:${SANDBOX_XERO_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: XERO_REDIRECT_URI }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("the sandbox's Xero responses validate against Xero's OpenAPI schemas", () => {
  it('contacts: list, paged list, single, create, update, per-element errors', async () => {
    const list = await api('/Contacts?includeArchived=true');
    expect(list.status).toBe(200);
    expectValid('Contacts', list.body);
    expect((list.body as { Contacts: unknown[] }).Contacts.length).toBeGreaterThanOrEqual(8);
    const paged = await api('/Contacts?page=1&pageSize=3&includeArchived=true');
    expectValid('Contacts', paged.body);
    expect((paged.body as { pagination: unknown }).pagination).toEqual({ page: 1, pageSize: 3, pageCount: 3, itemCount: 9 });
    const merged = (list.body as { Contacts: { ContactID: string; Name: string }[] }).Contacts.find((c) => c.Name === 'Blue Wren Café');
    const single = await api(`/Contacts/${merged?.ContactID ?? ''}`);
    expectValid('Contacts', single.body);
    expect((single.body as { Contacts: { MergedToContactID?: string }[] }).Contacts[0]?.MergedToContactID).toMatch(/^[0-9a-f-]{36}$/);

    const created = await api('/Contacts', {
      method: 'PUT',
      body: {
        Contacts: [
          {
            Name: 'Bruce Banner',
            EmailAddress: 'hulk@avengers.example.com',
            ContactPersons: [{ FirstName: 'Betty', LastName: 'Ross', EmailAddress: 'betty@example.com', IncludeInEmails: true }],
            Phones: [{ PhoneType: 'MOBILE', PhoneNumber: '555-1212', PhoneAreaCode: '415' }],
            Addresses: [{ AddressType: 'POBOX', AddressLine1: 'PO Box 1', City: 'Dayton', PostalCode: '45401', Country: 'USA' }],
          },
        ],
      },
    });
    expect(created.status).toBe(200);
    expectValid('Contacts', created.body);
    const id = (created.body as { Contacts: { ContactID: string }[] }).Contacts[0]?.ContactID;
    const updated = await api('/Contacts', { method: 'POST', body: { Contacts: [{ ContactID: id, AccountNumber: 'BB-1', TaxNumber: '12 345 678 901' }] } });
    expectValid('Contacts', updated.body);
    const mixed = await api('/Contacts?summarizeErrors=false', { method: 'PUT', body: { Contacts: [{ Name: 'Acme Pty Ltd' }, { Name: 'Wanda Maximoff' }] } });
    expect(mixed.status).toBe(200);
    expectValid('Contacts', mixed.body);
  });

  it('errors: ValidationException, NoDataProcessedException and QueryParseException use the Error schema', async () => {
    const duplicate = await api('/Contacts', { method: 'PUT', body: { Contacts: [{ Name: 'Acme Pty Ltd' }] } });
    expect(duplicate.status).toBe(400);
    expectValid('Error', duplicate.body);
    const empty = await api('/Contacts', { method: 'PUT', body: { Contacts: [] } });
    expect(empty.status).toBe(400);
    expectValid('Error', empty.body);
    expect(empty.body).toMatchObject({ ErrorNumber: 17, Type: 'NoDataProcessedException' });
    const badWhere = await api(`/Contacts?where=${encodeURIComponent('Colour=="red"')}`);
    expect(badWhere.status).toBe(400);
    expectValid('Error', badWhere.body);
    const missing = await api('/Contacts/7c3f0000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe("The resource you're looking for cannot be found");
  });

  it('invoices, bills, credit notes, allocations and payments', async () => {
    const contacts = (await api(`/Contacts?where=${encodeURIComponent('Name=="Acme Pty Ltd"')}`)).body as { Contacts: { ContactID: string }[] };
    const contactId = contacts.Contacts[0]?.ContactID ?? '';
    const invoices = await api('/Invoices', {
      method: 'PUT',
      body: {
        Invoices: [
          { Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-11-01', DueDate: '2026-12-01', Status: 'AUTHORISED', LineAmountTypes: 'Inclusive', LineItems: [{ Description: 'Consulting', Quantity: 2, UnitAmount: 110, AccountCode: '200', DiscountRate: 10 }] },
          { Type: 'ACCPAY', Contact: { ContactID: contactId }, InvoiceNumber: 'BILL-1', Status: 'AUTHORISED', LineItems: [{ Description: 'Paper', Quantity: 1, UnitAmount: 33.33, AccountCode: '429' }] },
        ],
      },
    });
    expect(invoices.status).toBe(200);
    expectValid('Invoices', invoices.body);
    const [sale] = (invoices.body as { Invoices: { InvoiceID: string; Total: number; TotalTax: number; SubTotal: number }[] }).Invoices;
    expect([sale?.SubTotal, sale?.TotalTax, sale?.Total]).toEqual([180, 18, 198]);
    expectValid('Invoices', (await api('/Invoices')).body);
    expectValid('Invoices', (await api('/Invoices?page=1')).body);
    expectValid('Invoices', (await api(`/Invoices/${sale?.InvoiceID ?? ''}`)).body);
    const failed = await api('/Invoices?summarizeErrors=false', { method: 'PUT', body: { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, InvoiceNumber: 'INV-0001', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1 }] }] } });
    expectValid('Invoices', failed.body);

    const credit = await api('/CreditNotes', { method: 'PUT', body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Status: 'AUTHORISED', LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 10, AccountCode: '200' }] }] } });
    expect(credit.status).toBe(200);
    expectValid('CreditNotes', credit.body);
    const creditId = (credit.body as { CreditNotes: { CreditNoteID: string }[] }).CreditNotes[0]?.CreditNoteID ?? '';
    const allocation = await api(`/CreditNotes/${creditId}/Allocations`, { method: 'PUT', body: { Allocations: [{ Invoice: { InvoiceID: sale?.InvoiceID }, Amount: 11, Date: '2026-11-05' }] } });
    expect(allocation.status).toBe(200);
    expectValid('Allocations', allocation.body);
    expectValid('CreditNotes', (await api('/CreditNotes')).body);

    const payment = await api('/Payments', { method: 'PUT', body: { Payments: [{ Invoice: { InvoiceID: sale?.InvoiceID }, Account: { Code: '090' }, Date: '2026-11-10', Amount: 100 }] } });
    expect(payment.status).toBe(200);
    expectValid('Payments', payment.body);
    expectValid('Payments', (await api('/Payments')).body);
    const after = (await api(`/Invoices/${sale?.InvoiceID ?? ''}`)).body as { Invoices: { AmountDue: number; AmountPaid: number; AmountCredited: number; Status: string }[] };
    expect(after.Invoices[0]).toMatchObject({ AmountDue: 87, AmountPaid: 100, AmountCredited: 11, Status: 'AUTHORISED' });
    expectValid('Invoices', after);
  });

  it('organisation and connections', async () => {
    expectValid('Organisations', (await api('/Organisation')).body);
    const res = await fetch(`${sandbox.url}/xero/connections`, { headers: { authorization: `Bearer ${token}` } });
    const connections = (await res.json()) as unknown;
    const ok = connectionsValidator(connections);
    expect(ok ? [] : connectionsValidator.errors).toEqual([]);
    expect(connections).toEqual([expect.objectContaining({ tenantId, tenantType: 'ORGANISATION', tenantName: 'Demo Company (AU)' })]);
  });
});
