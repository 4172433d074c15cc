import { describe, expect, it } from 'vitest';
import { parseQboConfig } from './config.js';
import { createWebhooksApi, intuitSignatureOf, parseQboWebhook } from './webhooks.js';

const config = parseQboConfig({ clientId: 'cid', clientSecret: 'secret', webhookVerifierToken: 'verifier-token' });
const now = () => new Date('2026-11-23T10:00:00Z');

describe('QBO webhook signatures', () => {
  const body = '{"eventNotifications":[]}';
  const api = createWebhooksApi(config, now);
  const request = (headers: Record<string, string>, rawBody = body) => ({ headers, rawBody, url: 'https://hub.example.com/hooks/qbo' });

  it('accepts the base64 HMAC-SHA256 of the raw body keyed with the verifier token', () => {
    expect(api.verify(request({ 'intuit-signature': intuitSignatureOf(body, 'verifier-token') }))).toEqual({ ok: true });
  });

  it('refuses a missing header, another key, a changed body and garbage, saying why without the token', () => {
    const refusals = [
      api.verify(request({})),
      api.verify(request({ 'intuit-signature': intuitSignatureOf(body, 'other-token') })),
      api.verify(request({ 'intuit-signature': intuitSignatureOf(body, 'verifier-token') }, `${body}\n`)),
      api.verify(request({ 'intuit-signature': 'not base64 at all!' })),
    ];
    for (const result of refusals) {
      expect(result).toMatchObject({ ok: false });
      expect(JSON.stringify(result)).not.toContain('verifier-token');
    }
  });

  it('refuses everything when no verifier token is configured, naming the variable to set', () => {
    const unconfigured = createWebhooksApi(parseQboConfig({ clientId: 'cid', clientSecret: 'secret' }), now);
    const result = unconfigured.verify(request({ 'intuit-signature': intuitSignatureOf(body, '') }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN') });
  });
});

describe('QBO webhook bodies', () => {
  it('parses the classic format: entities of several realms, merges with the merged-away id and survivor, voids and deletes', () => {
    const body = JSON.stringify({
      eventNotifications: [
        {
          realmId: '111',
          dataChangeEvent: {
            entities: [
              { name: 'Customer', id: '5', operation: 'Merge', deletedId: '9', lastUpdated: '2026-11-20T08:00:00.123Z' },
              { name: 'Invoice', id: '130', operation: 'Void', lastUpdated: '2026-11-20T08:01:00Z' },
              { name: 'Vendor', id: '7', operation: 'Delete', lastUpdated: '2026-11-20T08:02:00Z' },
              { name: 'Invoice', id: '131', operation: 'Emailed', lastUpdated: '2026-11-20T08:03:00Z' },
              { name: 'TimeActivity', id: '1', operation: 'Create', lastUpdated: '2026-11-20T08:04:00Z' },
            ],
          },
        },
        { realmId: '222', dataChangeEvent: { entities: [{ name: 'CreditMemo', id: '3', operation: 'Create', lastUpdated: '2026-11-20T09:00:00Z' }] } },
      ],
    });
    expect(parseQboWebhook(body, now).map(({ raw: _raw, ...event }) => event)).toEqual([
      { entity: 'customer', id: '9', operation: 'merge', survivorId: '5', occurredAt: '2026-11-20T08:00:00.123Z', tenantId: '111' },
      { entity: 'invoice', id: '130', operation: 'update', occurredAt: '2026-11-20T08:01:00.000Z', tenantId: '111' },
      { entity: 'supplier', id: '7', operation: 'delete', occurredAt: '2026-11-20T08:02:00.000Z', tenantId: '111' },
      { entity: 'credit_note', id: '3', operation: 'create', occurredAt: '2026-11-20T09:00:00.000Z', tenantId: '222' },
    ]);
  });

  it('parses the CloudEvents format, including events without data', () => {
    const body = JSON.stringify([
      { specversion: '1.0', id: 'e1-Customer-5', type: 'qbo.customer.merged.v1', time: '2026-11-20T08:00:00Z', intuitentityid: '5', intuitaccountid: '111', data: { deletedid: '27' } },
      { specversion: '1.0', id: 'e2', type: 'qbo.salesreceipt.updated.v1', time: '2026-11-20T08:05:00Z', intuitentityid: '44', intuitaccountid: '111' },
      { specversion: '1.0', id: 'e3', type: 'qbo.payment.voided.v1', intuitentityid: '45', intuitaccountid: '111' },
    ]);
    expect(parseQboWebhook(body, now)).toEqual([
      { entity: 'customer', id: '27', operation: 'merge', survivorId: '5', occurredAt: '2026-11-20T08:00:00.000Z', tenantId: '111', raw: { type: 'qbo.customer.merged.v1', entityId: '5', eventId: 'e1-Customer-5', deletedId: '27' } },
      { entity: 'sales_receipt', id: '44', operation: 'update', occurredAt: '2026-11-20T08:05:00.000Z', tenantId: '111', raw: { type: 'qbo.salesreceipt.updated.v1', entityId: '44', eventId: 'e2' } },
      { entity: 'payment', id: '45', operation: 'update', occurredAt: '2026-11-23T10:00:00.000Z', tenantId: '111', raw: { type: 'qbo.payment.voided.v1', entityId: '45', eventId: 'e3' } },
    ]);
  });

  it('refuses a body that is not a QBO webhook with a validation error', () => {
    expect(() => parseQboWebhook('not json', now)).toThrow(expect.objectContaining({ kind: 'validation', field: 'body' }));
    expect(() => parseQboWebhook('{"hello":1}', now)).toThrow(expect.objectContaining({ kind: 'validation' }));
  });
});
