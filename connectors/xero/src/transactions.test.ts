import { isConnectorError, Transaction } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { limitReading } from './client.js';
import { markerFor, statusOf, stripMarker, toXeroDocument } from './transactions.js';
import { createWebhooksApi, xeroWebhookSignature } from './webhooks.js';

const contactId = '6f1d6a52-1111-4000-8000-00000000abcd';
const invoice = (input: Record<string, unknown> = {}) =>
  Transaction.parse({ type: 'invoice', issueDate: '2026-11-23', currency: 'USD', lines: [{ quantity: 3, unitAmount: 1999, amount: 5997 }], total: 5997, ...input });

describe('toXeroDocument', () => {
  it('sends Xero decimals converted exactly from minor units, with the marker in Reference', () => {
    const body = toXeroDocument({ idempotencyKey: 'k1', contactId, transaction: invoice({ reference: 'PO 9' }) }, markerFor('k1'));
    expect(body).toMatchObject({ Type: 'ACCREC', Contact: { ContactID: contactId }, Status: 'AUTHORISED', LineAmountTypes: 'NoTax', CurrencyCode: 'USD', Reference: `PO 9 [${markerFor('k1')}]` });
    expect(body.LineItems).toEqual([{ Description: '', Quantity: 3, UnitAmount: 19.99, LineAmount: 59.97 }]);
    expect(JSON.stringify(body.LineItems)).toContain('"UnitAmount":19.99,"LineAmount":59.97');
    const yen = toXeroDocument({ idempotencyKey: 'k2', contactId, transaction: invoice({ currency: 'JPY', lines: [{ quantity: 1, unitAmount: 1500, amount: 1500 }], total: 1500 }) }, 'll-x');
    expect(yen.LineItems).toEqual([{ Description: '', Quantity: 1, UnitAmount: 1500, LineAmount: 1500 }]);
  });

  it('puts the marker in the number of a bill without one (Xero bills have no Reference)', () => {
    const body = toXeroDocument({ idempotencyKey: 'k3', contactId, transaction: invoice({ type: 'bill' }) }, markerFor('k3'));
    expect(body).toMatchObject({ Type: 'ACCPAY', InvoiceNumber: `[${markerFor('k3')}]` });
    expect(body).not.toHaveProperty('Reference');
    expect(stripMarker(`PO 9 [${markerFor('k1')}]`)).toBe('PO 9');
    expect(stripMarker(`[${markerFor('k1')}]`)).toBeUndefined();
  });

  it.each([
    [{ contactId: 'not-a-guid', transaction: invoice() }, 'contactId'],
    [{ contactId, transaction: invoice({ lines: [{ quantity: 3, unitAmount: 1999, amount: 6000 }] }) }, 'lines[0].amount'],
    [{ contactId, transaction: invoice({ total: 1 }) }, 'total'],
    [{ contactId, transaction: invoice({ lines: [] }) }, 'lines'],
    [{ contactId, transaction: invoice({ status: 'void' }) }, 'status'],
    [{ contactId, transaction: invoice({ type: 'estimate' }) }, 'type'],
    [{ contactId, transaction: invoice({ reference: 'r'.repeat(234) }) }, 'reference'],
    [{ contactId, transaction: invoice({ type: 'payment', lines: [], total: 100, customFields: { invoiceId: 'x' } }) }, 'customFields.accountCode'],
  ])('refuses %j with validation on %s', (item, field) => {
    let caught: unknown;
    try {
      toXeroDocument({ idempotencyKey: 'k', ...item }, 'll-x');
    } catch (error) {
      caught = error;
    }
    expect(isConnectorError(caught) && caught.field).toBe(field);
  });
});

describe('statusOf', () => {
  it.each([
    ['DRAFT', 100, 100, 'draft'],
    ['AUTHORISED', 100, 100, 'open'],
    ['AUTHORISED', 100, 40, 'partially_paid'],
    ['PAID', 100, 0, 'paid'],
    ['VOIDED', 100, 100, 'void'],
  ] as const)('%s with total %i and %i due is %s', (xero, total, due, expected) => {
    expect(statusOf(xero, total, due)).toBe(expected);
  });
});

describe('webhook signature', () => {
  const api = createWebhooksApi({ webhookKey: 'key-1' }, ['customer']);
  const rawBody = '{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"E"}';
  it('accepts base64 HMAC-SHA256 of the raw body and refuses other keys, other bodies and garbage', () => {
    expect(api.verify({ headers: { 'x-xero-signature': xeroWebhookSignature(rawBody, 'key-1') }, rawBody, url: 'u' })).toEqual({ ok: true });
    expect(api.verify({ headers: { 'x-xero-signature': xeroWebhookSignature(rawBody, 'key-2') }, rawBody, url: 'u' })).toMatchObject({ ok: false });
    expect(api.verify({ headers: { 'x-xero-signature': xeroWebhookSignature(`${rawBody} `, 'key-1') }, rawBody, url: 'u' })).toMatchObject({ ok: false });
    expect(api.verify({ headers: { 'x-xero-signature': 'short' }, rawBody, url: 'u' })).toMatchObject({ ok: false });
  });
});

describe('limit headers', () => {
  it('reads the minute, day and app-minute remainders and Retry-After, ignoring junk', () => {
    expect(limitReading({ 'x-minlimit-remaining': '58', 'x-daylimit-remaining': '4990', 'x-appminlimit-remaining': '9999', 'retry-after': '12' })).toEqual({
      minuteRemaining: 58,
      dayRemaining: 4990,
      appMinuteRemaining: 9999,
      retryAfter: '12',
    });
    expect(limitReading({ 'x-minlimit-remaining': 'lots' })).toEqual({});
  });
});
