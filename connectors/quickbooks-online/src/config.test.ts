import { describe, expect, it } from 'vitest';
import { envVarFor, parseQboConfig, QboConfigSchema } from './config.js';

const minimal = { clientId: 'cid', clientSecret: 'secret' };

describe('QuickBooks Online connector configuration', () => {
  it('fills Intuit production defaults when only the client credentials are given', () => {
    expect(parseQboConfig(minimal)).toEqual({
      clientId: 'cid',
      clientSecret: 'secret',
      environment: 'production',
      authorizeEndpoint: 'https://appcenter.intuit.com/connect/oauth2',
      tokenEndpoint: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      revokeEndpoint: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
      userinfoEndpoint: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
      apiBaseUrl: 'https://quickbooks.api.intuit.com',
      appBaseUrl: 'https://app.qbo.intuit.com/app',
      cdcPastCap: 'query',
      minorVersion: 75,
    });
  });

  it('uses the sandbox API host when environment is sandbox', () => {
    const config = parseQboConfig({ ...minimal, environment: 'sandbox' });
    expect(config.apiBaseUrl).toBe('https://sandbox-quickbooks.api.intuit.com');
    expect(config.userinfoEndpoint).toBe('https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo');
  });

  it('accepts the string values the host reads from environment variables', () => {
    const config = parseQboConfig({
      ...minimal,
      environment: ' Sandbox ',
      minorVersion: '70',
      apiBaseUrl: 'http://127.0.0.1:4010/qbo/',
      tokenEndpoint: 'http://127.0.0.1:4010/oauth2/v1/tokens/bearer',
      appBaseUrl: '',
    });
    expect(config.environment).toBe('sandbox');
    expect(config.minorVersion).toBe(70);
    expect(config.apiBaseUrl).toBe('http://127.0.0.1:4010/qbo');
    expect(config.tokenEndpoint).toBe('http://127.0.0.1:4010/oauth2/v1/tokens/bearer');
    expect(config.appBaseUrl).toBe('https://app.qbo.intuit.com/app');
  });

  it('names the missing client id and the environment variable that sets it', () => {
    expect(() => parseQboConfig({ clientSecret: 'secret' })).toThrow(/clientId is required: set LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID/);
    expect(() => parseQboConfig({ clientId: '  ', clientSecret: 'secret' })).toThrow(/clientId is required/);
  });

  it('reports every bad field at once, each with its fix', () => {
    let message = '';
    try {
      parseQboConfig({ clientId: 'cid', environment: 'staging', minorVersion: 'latest', apiBaseUrl: 'ftp://example.com' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('clientSecret is required: set LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_SECRET');
    expect(message).toContain('environment must be "production" or "sandbox"; fix LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_ENVIRONMENT');
    expect(message).toContain('minorVersion must be a whole number such as 75; fix LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_MINOR_VERSION');
    expect(message).toContain('apiBaseUrl must be an absolute http(s) URL; fix LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL');
  });

  it('puts the field name in the path of each zod issue for hosts that format issues themselves', () => {
    const parsed = QboConfigSchema.safeParse({ ...minimal, minorVersion: '0' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['minorVersion']);
  });

  it('derives environment variable names from config keys', () => {
    expect(envVarFor('clientId')).toBe('LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID');
    expect(envVarFor('apiBaseUrl')).toBe('LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL');
    expect(envVarFor('userinfoEndpoint')).toBe('LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_USERINFO_ENDPOINT');
  });
});
