import { describe, expect, it } from 'vitest';
import { envVarFor, parseXeroConfig } from './config.js';

describe('Xero connector config', () => {
  it('fills Xero production endpoints by default', () => {
    expect(parseXeroConfig({ clientId: 'id', clientSecret: 'secret' })).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      issuerUrl: 'https://identity.xero.com',
      apiBaseUrl: 'https://api.xero.com/api.xro/2.0',
      connectionsUrl: 'https://api.xero.com/connections',
      appBaseUrl: 'https://go.xero.com',
      scopeSet: 'granular',
    });
  });

  it('takes the webhook key and the scope set, refusing an unknown scope set by its variable', () => {
    const config = parseXeroConfig({ clientId: 'id', clientSecret: 's', webhookKey: 'k', scopeSet: 'classic' });
    expect(config).toMatchObject({ webhookKey: 'k', scopeSet: 'classic' });
    expect(parseXeroConfig({ clientId: 'id', clientSecret: 's', webhookKey: ' ' }).webhookKey).toBeUndefined();
    expect(() => parseXeroConfig({ clientId: 'id', clientSecret: 's', scopeSet: 'all' })).toThrow(/scopeSet must be granular or classic; fix LEDGERLINK_CONNECTOR_XERO_SCOPE_SET/);
  });

  it('takes endpoint overrides as strings and drops trailing slashes; blank means default', () => {
    const config = parseXeroConfig({ clientId: 'id', clientSecret: 's', issuerUrl: 'http://127.0.0.1:4010/xero/identity/', apiBaseUrl: ' ', appBaseUrl: '' });
    expect(config.issuerUrl).toBe('http://127.0.0.1:4010/xero/identity');
    expect(config.apiBaseUrl).toBe('https://api.xero.com/api.xro/2.0');
    expect(config.appBaseUrl).toBe('https://go.xero.com');
  });

  it('a missing secret names the field and the environment variable to set', () => {
    expect(() => parseXeroConfig({ clientId: 'id', clientSecret: '  ' })).toThrow(/clientSecret is required: set LEDGERLINK_CONNECTOR_XERO_CLIENT_SECRET/);
  });

  it('a URL that is not absolute http(s) names the field and its environment variable', () => {
    expect(() => parseXeroConfig({ clientId: 'id', clientSecret: 's', connectionsUrl: 'ftp://x' })).toThrow(/connectionsUrl must be an absolute http\(s\) URL; fix LEDGERLINK_CONNECTOR_XERO_CONNECTIONS_URL/);
  });

  it('lists every problem at once', () => {
    expect(() => parseXeroConfig({})).toThrow(/clientId.*clientSecret/);
  });

  it('maps camelCase keys to the host\'s environment variable names', () => {
    expect(envVarFor('apiBaseUrl')).toBe('LEDGERLINK_CONNECTOR_XERO_API_BASE_URL');
  });
});
