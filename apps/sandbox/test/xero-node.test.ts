import { createHmac } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Issuer } from 'openid-client';
import { type Contact, Invoice, LineAmountTypes, XeroClient } from 'xero-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningSandbox,
  SANDBOX_XERO_CLIENT_ID,
  SANDBOX_XERO_CLIENT_SECRET,
  SANDBOX_XERO_DEMO_TENANTS,
  SANDBOX_XERO_WEBHOOK_KEY,
  sandboxXeroConnectorEnv,
  startSandbox,
} from '../src/index.js';
import { XERO_REDIRECT_URI, control, pointXeroNodeAt, xeroConsent, xeroNodeError } from './xero-helpers.js';

const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'accounting.contacts', 'accounting.transactions', 'accounting.settings.read'];
const DUPLICATE = 'The contact name Acme Pty Ltd is already assigned to another contact. The contact name must be unique across all active contacts.';

let sandbox: RunningSandbox;
let xero: XeroClient;
let tenantId: string;
let restoreAxios: () => void;

async function advance(seconds: number): Promise<void> {
  await control(sandbox.url, '/clock', { advanceSeconds: seconds });
}

async function setLimits(enabled: boolean): Promise<void> {
  const res = await control(sandbox.url, '/limits', { enabled });
  expect(res.status).toBe(200);
}

async function contactsNamed(name: string, includeArchived = false): Promise<Contact[]> {
  const { body } = await xero.accountingApi.getContacts(tenantId, undefined, `Name=="${name}"`, undefined, undefined, undefined, includeArchived);
  return body.contacts ?? [];
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  restoreAxios = pointXeroNodeAt(sandbox.url);
  const env = sandboxXeroConnectorEnv(sandbox.url);
  xero = new XeroClient({ clientId: SANDBOX_XERO_CLIENT_ID, clientSecret: SANDBOX_XERO_CLIENT_SECRET, redirectUris: [XERO_REDIRECT_URI], scopes: SCOPES, state: 'xero-state-1' });
  const issuer = await Issuer.discover(env.LEDGERLINK_CONNECTOR_XERO_ISSUER_URL ?? '');
  xero.openIdClient = new issuer.Client({ client_id: SANDBOX_XERO_CLIENT_ID, client_secret: SANDBOX_XERO_CLIENT_SECRET, redirect_uris: [XERO_REDIRECT_URI] });
  xero.accountingApi.basePath = env.LEDGERLINK_CONNECTOR_XERO_API_BASE_URL ?? '';
  await setLimits(false);
});

afterAll(async () => {
  restoreAxios();
  await sandbox.close();
});

describe('xero-node 20 against the Xero sandbox', () => {
  it('connects through the consent page, validates the id_token and lists the tenant', { timeout: 20_000 }, async () => {
    const consentUrl = await xero.buildConsentUrl();
    expect(consentUrl.startsWith(`${sandbox.url}/xero/identity/connect/authorize?`)).toBe(true);
    const callback = await xeroConsent(consentUrl, SANDBOX_XERO_DEMO_TENANTS.au);
    const tokenSet = await xero.apiCallback(callback);
    expect(tokenSet.token_type).toBe('Bearer');
    expect(tokenSet.expires_in).toBe(1800);
    expect(tokenSet.refresh_token).toEqual(expect.any(String));
    expect(tokenSet.claims()).toMatchObject({ email: 'sam.sandbox@example.com', given_name: 'Sam', aud: SANDBOX_XERO_CLIENT_ID });

    const tenants = (await xero.updateTenants()) as { tenantId: string; tenantName: string; tenantType: string; id: string; orgData: { name: string; organisationID: string } }[];
    expect(tenants).toHaveLength(1);
    expect(tenants[0]).toMatchObject({ tenantId: SANDBOX_XERO_DEMO_TENANTS.au, tenantName: 'Demo Company (AU)', tenantType: 'ORGANISATION' });
    expect(tenants[0]?.orgData).toMatchObject({ name: 'Demo Company (AU)', organisationID: SANDBOX_XERO_DEMO_TENANTS.au });
    tenantId = tenants[0]?.tenantId ?? '';
  });

  it('refuses a tenant the token is not connected to with 403 AuthenticationUnsuccessful', async () => {
    const error = await xeroNodeError(xero.accountingApi.getContacts(SANDBOX_XERO_DEMO_TENANTS.nz));
    expect(error.response.statusCode).toBe(403);
    expect(error.response.body).toMatchObject({ Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
  });

  it('creates contacts with PUT and reads them back with where, searchTerm and IDs', async () => {
    const { body } = await xero.accountingApi.createContacts(tenantId, {
      contacts: [
        { name: 'Bruce Banner', emailAddress: 'hulk@avengers.example.com', firstName: 'Bruce', lastName: 'Banner' },
        { name: 'Natasha Romanoff', emailAddress: 'nat@avengers.example.com' },
      ],
    });
    const [bruce, natasha] = body.contacts ?? [];
    expect(bruce).toMatchObject({ name: 'Bruce Banner', contactStatus: 'ACTIVE', isCustomer: false, isSupplier: false, hasValidationErrors: false });
    expect(bruce?.contactID).toMatch(/^[0-9a-f-]{36}$/);
    expect(bruce?.updatedDateUTC).toBeInstanceOf(Date);

    expect((await contactsNamed('bruce banner')).map((c) => c.contactID)).toEqual([bruce?.contactID]);
    const byEmail = await xero.accountingApi.getContacts(tenantId, undefined, 'EmailAddress=="nat@avengers.example.com" AND ContactStatus=="ACTIVE"');
    expect(byEmail.body.contacts?.map((c) => c.name)).toEqual(['Natasha Romanoff']);
    const search = await xero.accountingApi.getContacts(tenantId, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'AVENGERS');
    expect(search.body.contacts?.map((c) => c.name).sort()).toEqual(['Bruce Banner', 'Natasha Romanoff']);
    const byIds = await xero.accountingApi.getContacts(tenantId, undefined, undefined, undefined, [natasha?.contactID ?? '']);
    expect(byIds.body.contacts?.map((c) => c.name)).toEqual(['Natasha Romanoff']);
  });

  it('refuses a second ACTIVE contact with the same name, in both summarizeErrors modes', async () => {
    const summarised = await xeroNodeError(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Acme Pty Ltd' }] }));
    expect(summarised.response.statusCode).toBe(400);
    expect(summarised.response.body).toMatchObject({
      ErrorNumber: 10,
      Type: 'ValidationException',
      Elements: [{ Name: 'Acme Pty Ltd', ContactID: '00000000-0000-0000-0000-000000000000', HasValidationErrors: true, ValidationErrors: [{ Message: DUPLICATE }] }],
    });
    const perElement = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: '  ACME   pty ltd ' }, { name: 'Wanda Maximoff' }] }, false);
    expect(perElement.response.status).toBe(200);
    const [dup, wanda] = perElement.body.contacts ?? [];
    expect(dup).toMatchObject({ statusAttributeString: 'ERROR', hasValidationErrors: true });
    expect(dup?.validationErrors?.[0]?.message).toBe('The contact name ACME   pty ltd is already assigned to another contact. The contact name must be unique across all active contacts.');
    expect(wanda).toMatchObject({ name: 'Wanda Maximoff', statusAttributeString: 'OK' });
  });

  it('commits the valid elements of a batch that answers 400 (summarizeErrors default)', async () => {
    const error = await xeroNodeError(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Clint Barton' }, { name: 'Acme Pty Ltd' }] }));
    expect(error.response.statusCode).toBe(400);
    const elements = (error.response.body as { Elements: { Name: string }[] }).Elements;
    expect(elements.map((e) => e.Name)).toEqual(['Acme Pty Ltd']);
    expect(await contactsNamed('Clint Barton')).toHaveLength(1);
  });

  it('updates by ContactID with POST, keeping omitted fields, and IsCustomer cannot be set', async () => {
    const [bruce] = await contactsNamed('Bruce Banner');
    const { body } = await xero.accountingApi.updateOrCreateContacts(tenantId, { contacts: [{ contactID: bruce?.contactID ?? '', name: 'Dr Bruce Banner', isCustomer: true }] });
    expect(body.contacts?.[0]).toMatchObject({ contactID: bruce?.contactID, name: 'Dr Bruce Banner', emailAddress: 'hulk@avengers.example.com', isCustomer: false });
  });

  it('returns only contacts modified since If-Modified-Since', async () => {
    await advance(5);
    const since = new Date(Date.parse((((await control(sandbox.url, '/clock')).body as { now: string }).now)));
    await advance(5);
    await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Peter Parker' }] });
    const { body } = await xero.accountingApi.getContacts(tenantId, since, undefined, undefined, undefined, undefined, true);
    expect(body.contacts?.map((c) => c.name)).toEqual(['Peter Parker']);
  });

  it('pages 100 at a time by default and reports pagination', { timeout: 20_000 }, async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ name: `Bulk Contact ${String(i).padStart(3, '0')}` }));
    await xero.accountingApi.createContacts(tenantId, { contacts: many });
    const first = await xero.accountingApi.getContacts(tenantId, undefined, 'Name.StartsWith("Bulk Contact")', 'Name ASC', undefined, 1);
    expect(first.body.contacts).toHaveLength(100);
    expect(first.body.pagination).toMatchObject({ page: 1, pageSize: 100, pageCount: 2, itemCount: 120 });
    const second = await xero.accountingApi.getContacts(tenantId, undefined, 'Name.StartsWith("Bulk Contact")', 'Name ASC', undefined, 2);
    expect(second.body.contacts?.map((c) => c.name)).toEqual(many.slice(100).map((c) => c.name));
  });

  it('hides archived contacts unless includeArchived, and shows a merge through MergedToContactID', async () => {
    const [clint] = await contactsNamed('Clint Barton');
    const [wanda] = await contactsNamed('Wanda Maximoff');
    const merged = await control(sandbox.url, `/xero/organisations/${tenantId}/contacts/${clint?.contactID ?? ''}/merge`, { survivorContactId: wanda?.contactID });
    expect(merged.status).toBe(200);
    expect(await contactsNamed('Clint Barton')).toEqual([]);
    const paged = await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="Clint Barton"', undefined, undefined, 1, true);
    expect(paged.body.contacts?.[0]).toMatchObject({ contactStatus: 'ARCHIVED', mergedToContactID: wanda?.contactID });
    const single = await xero.accountingApi.getContact(tenantId, clint?.contactID ?? '');
    expect(single.body.contacts?.[0]?.mergedToContactID).toBe(wanda?.contactID);
    // The name is free again once its holder is archived.
    const reused = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Clint Barton' }] });
    expect(reused.body.contacts?.[0]?.contactStatus).toBe('ACTIVE');
  });

  it('computes invoice totals exactly and refuses to invoice an archived contact', async () => {
    const [peter] = await contactsNamed('Peter Parker');
    const { body } = await xero.accountingApi.createInvoices(tenantId, {
      invoices: [
        {
          type: Invoice.TypeEnum.ACCREC,
          contact: { contactID: peter?.contactID ?? '' },
          date: '2026-11-01',
          dueDate: '2026-11-30',
          status: Invoice.StatusEnum.AUTHORISED,
          lineAmountTypes: LineAmountTypes.Exclusive,
          lineItems: [
            { description: 'Web slinging', quantity: 3, unitAmount: 19.99, accountCode: '200' },
            { description: 'Photos', quantity: 0.5, unitAmount: 0.1, accountCode: '200' },
          ],
        },
      ],
    });
    const invoice = body.invoices?.[0];
    expect(invoice?.lineItems?.map((l) => [l.lineAmount, l.taxAmount])).toEqual([[59.97, 6], [0.05, 0.01]]);
    expect([invoice?.subTotal, invoice?.totalTax, invoice?.total, invoice?.amountDue]).toEqual([60.02, 6.01, 66.03, 66.03]);
    expect(invoice?.invoiceNumber).toMatch(/^INV-\d{4}$/);
    const contact = await xero.accountingApi.getContact(tenantId, peter?.contactID ?? '');
    expect(contact.body.contacts?.[0]?.isCustomer).toBe(true);

    const duplicateNumber = await xero.accountingApi.createInvoices(
      tenantId,
      { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: peter?.contactID ?? '' }, invoiceNumber: invoice?.invoiceNumber ?? '', lineItems: [{ description: 'x', quantity: 1, unitAmount: 1 }] }] },
      false,
    );
    expect(duplicateNumber.body.invoices?.[0]).toMatchObject({ statusAttributeString: 'ERROR', hasErrors: true });
    expect(duplicateNumber.body.invoices?.[0]?.validationErrors?.[0]?.message).toBe('Invoice # must be unique.');

    const [clint] = await contactsNamed('Clint Barton', true).then((list) => list.filter((c) => String(c.contactStatus) === 'ARCHIVED'));
    const archived = await xeroNodeError(
      xero.accountingApi.createInvoices(tenantId, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: clint?.contactID ?? '' }, lineItems: [{ description: 'x', quantity: 1, unitAmount: 1 }] }] }),
    );
    expect(archived.response.statusCode).toBe(400);
    expect(JSON.stringify(archived.response.body)).toContain('The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.');
  });

  it('pays an invoice in full, which makes it PAID', async () => {
    const { body } = await xero.accountingApi.getInvoices(tenantId, undefined, 'Contact.Name=="Peter Parker" AND Status=="AUTHORISED"');
    const invoice = body.invoices?.[0];
    const payment = await xero.accountingApi.createPayment(tenantId, { invoice: { invoiceID: invoice?.invoiceID ?? '' }, account: { code: '090' }, date: '2026-11-20', amount: 66.03 });
    expect(payment.body.payments?.[0]).toMatchObject({ amount: 66.03, status: 'AUTHORISED' });
    const paid = await xero.accountingApi.getInvoice(tenantId, invoice?.invoiceID ?? '');
    expect(paid.body.invoices?.[0]).toMatchObject({ status: 'PAID', amountDue: 0, amountPaid: 66.03 });
    const over = await xeroNodeError(xero.accountingApi.createPayment(tenantId, { invoice: { invoiceID: invoice?.invoiceID ?? '' }, account: { code: '090' }, amount: 1 }));
    expect(over.response.statusCode).toBe(400);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it on a different request', async () => {
    const first = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Tony Stark' }] }, undefined, 'key-tony-1');
    const again = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Tony Stark' }] }, undefined, 'key-tony-1');
    expect(again.body.contacts?.[0]?.contactID).toBe(first.body.contacts?.[0]?.contactID);
    expect(await contactsNamed('Tony Stark')).toHaveLength(1);
    const other = await xeroNodeError(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Pepper Potts' }] }, undefined, 'key-tony-1'));
    expect(other.response.statusCode).toBe(400);
    expect(JSON.stringify(other.response.body)).toContain('is used with a different request');
  });

  it('answers 429 with Retry-After and X-Rate-Limit-Problem after 60 calls in a minute', { timeout: 30_000 }, async () => {
    await setLimits(true);
    try {
      const ok = await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="Tony Stark"');
      expect(ok.response.headers['x-minlimit-remaining']).toBe('59');
      expect(ok.response.headers['x-daylimit-remaining']).toBe('4999');
      expect(ok.response.headers['x-appminlimit-remaining']).toEqual(expect.any(String));
      for (let i = 0; i < 59; i += 1) await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="Tony Stark"');
      const limited = await xeroNodeError(xero.accountingApi.getContacts(tenantId));
      expect(limited.response.statusCode).toBe(429);
      expect(limited.response.headers['x-rate-limit-problem']).toBe('minute');
      expect(Number(limited.response.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.response.headers['x-minlimit-remaining']).toBe('0');
    } finally {
      await setLimits(false);
    }
  });

  it('runs Intent to Receive, then sends signed CONTACT and INVOICE events', { timeout: 20_000 }, async () => {
    const received: { signature: string; body: string }[] = [];
    const server: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signature = String(req.headers['x-xero-signature'] ?? '');
        const valid = createHmac('sha256', SANDBOX_XERO_WEBHOOK_KEY).update(body).digest('base64') === signature;
        received.push({ signature, body });
        res.writeHead(valid ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/xero`;
      const subscribed = await control(sandbox.url, '/xero/webhooks', { url });
      expect(subscribed.body).toMatchObject({ status: 'OK', url });
      expect(received.map((r) => JSON.parse(r.body) as { events: unknown[] }).every((b) => b.events.length === 0)).toBe(true);
      received.length = 0;
      const created = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: 'Steve Rogers' }] });
      const id = created.body.contacts?.[0]?.contactID;
      for (let i = 0; i < 150 && received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      const payload = JSON.parse(received[0]?.body ?? '{}') as { firstEventSequence: number; events: { resourceId: string; eventCategory: string; eventType: string; tenantId: string }[] };
      expect(payload.events).toEqual([expect.objectContaining({ resourceId: id, eventCategory: 'CONTACT', eventType: 'CREATE', tenantId })]);
      expect(payload.firstEventSequence).toBeGreaterThan(0);

      received.length = 0;
      const invoice = await xero.accountingApi.createInvoices(tenantId, {
        invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: id ?? '' }, lineItems: [{ description: 'Shield paint', quantity: 1, unitAmount: 50 }] }],
      });
      for (let i = 0; i < 150 && received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      const invoiceEvents = (JSON.parse(received[0]?.body ?? '{}') as { events: { resourceId: string; eventCategory: string; eventType: string; resourceUrl: string }[] }).events;
      expect(invoiceEvents).toEqual([
        expect.objectContaining({ resourceId: invoice.body.invoices?.[0]?.invoiceID, eventCategory: 'INVOICE', eventType: 'CREATE', resourceUrl: `${sandbox.url}/xero/api.xro/2.0/Invoices/${invoice.body.invoices?.[0]?.invoiceID ?? ''}` }),
      ]);
    } finally {
      await control(sandbox.url, '/xero/webhooks', undefined, 'DELETE');
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rotates refresh tokens with a 30-minute grace for the previous one', async () => {
    const before = xero.readTokenSet().refresh_token ?? '';
    const rotated = await xero.refreshToken();
    expect(rotated.refresh_token).not.toBe(before);
    expect((await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="Tony Stark"')).body.contacts).toHaveLength(1);
    const retried = await xero.refreshWithRefreshToken(SANDBOX_XERO_CLIENT_ID, SANDBOX_XERO_CLIENT_SECRET, before);
    expect(retried.refresh_token).toBe(rotated.refresh_token);
    await advance(31 * 60);
    const expired = await xeroNodeError(xero.accountingApi.getContacts(tenantId));
    expect(expired.response.statusCode).toBe(401);
    expect((expired.response.body as { Detail: string }).Detail).toMatch(/^TokenExpired: token expired at /);
    await expect(xero.refreshWithRefreshToken(SANDBOX_XERO_CLIENT_ID, SANDBOX_XERO_CLIENT_SECRET, before)).rejects.toBeDefined();
    await xero.refreshToken();
    expect((await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="Tony Stark"')).body.contacts).toHaveLength(1);
  });

  it('disconnects a tenant by connection id with xero.disconnect()', async () => {
    const consentUrl = await xero.buildConsentUrl();
    await xero.apiCallback(await xeroConsent(consentUrl, SANDBOX_XERO_DEMO_TENANTS.nz));
    const tenants = (await xero.updateTenants(false)) as { id: string; tenantId: string }[];
    expect(tenants.map((t) => t.tenantId).sort()).toEqual([SANDBOX_XERO_DEMO_TENANTS.au, SANDBOX_XERO_DEMO_TENANTS.nz].sort());
    await xero.disconnect(tenants.find((t) => t.tenantId === SANDBOX_XERO_DEMO_TENANTS.nz)?.id ?? '');
    expect(((await xero.updateTenants(false)) as { tenantId: string }[]).map((t) => t.tenantId)).toEqual([SANDBOX_XERO_DEMO_TENANTS.au]);
    const error = await xeroNodeError(xero.accountingApi.getContacts(SANDBOX_XERO_DEMO_TENANTS.nz));
    expect(error.response.statusCode).toBe(403);
  });

  it('revokes the connection: the access token stops working', async () => {
    const accessToken = xero.readTokenSet().access_token ?? '';
    await xero.revokeToken();
    const res = await fetch(`${sandbox.url}/xero/api.xro/2.0/Contacts`, { headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, accept: 'application/json' } });
    expect(res.status).toBe(401);
  });
});
