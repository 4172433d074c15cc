import { validateConnector } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import connector from './index.js';
import { parseQboConfig } from './config.js';

const config = parseQboConfig({ clientId: 'cid', clientSecret: 'secret', environment: 'sandbox', authorizeEndpoint: 'http://127.0.0.1:9/connect/oauth2' });

describe('QuickBooks Online manifest', () => {
  it('passes the SDK manifest validation', () => {
    const onlyZeroOne = (version: string, range: string) => range === '^0.1.0' && /^0\.1\.\d+$/.test(version);
    expect(validateConnector(connector, onlyZeroOne)).toEqual([]);
  });

  it('declares customer and supplier fields with DisplayName required and Intuit limits', () => {
    for (const fields of [connector.fields.customer, connector.fields.supplier]) {
      expect(fields?.find((f) => f.id === 'DisplayName')).toMatchObject({ required: true, maxLength: 500 });
      expect(fields?.find((f) => f.id === 'PrimaryEmailAddr.Address')).toMatchObject({ maxLength: 100 });
    }
    expect(connector.fields.customer?.some((f) => f.id === 'ShipAddr.City')).toBe(true);
    expect(connector.limits).toEqual({ requestsPerWindow: 500, windowSeconds: 60, concurrency: 10, batchSize: 30, batchRequestsPerWindow: 40 });
  });

  it('builds the consent URL with the accounting and OpenID scopes, the state and the redirect URI', async () => {
    if (connector.auth.type !== 'oauth2') throw new Error('expected oauth2');
    const url = new URL(await connector.auth.authorizeUrl({ config, state: 'st-1', redirectUri: 'http://localhost:3000/callback' }));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/connect/oauth2');
    expect(url.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting openid profile email');
    expect(url.searchParams.get('state')).toBe('st-1');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3000/callback');
    expect(url.searchParams.get('client_id')).toBe('cid');
    expect(url.searchParams.get('response_type')).toBe('code');
  });

  it('links customers and suppliers into the QBO web app', async () => {
    const session = await connector.connect({
      config,
      tenantId: '123',
      credentials: () => ({ accessToken: 'unused' }),
      http: { request: () => Promise.reject(new Error('no HTTP in this test')) },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => new Date() },
    });
    expect(session.deepLink('customer', '58')).toBe('https://app.qbo.intuit.com/app/customerdetail?nameId=58');
    expect(session.deepLink('supplier', '7')).toBe('https://app.qbo.intuit.com/app/vendordetail?nameId=7');
    expect(session.deepLink('invoice', '130')).toBe('https://app.qbo.intuit.com/app/invoice?txnId=130');
  });
});
