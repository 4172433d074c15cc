import { describe, expect, it } from 'vitest';
import { collectConnectorEnv, configKeyToEnvKey, connectorEnvPrefix, connectorEnvVar, envKeyToConfigKey } from './config-env.js';

describe('connector configuration from the environment', () => {
  it('names variables after the connector id and the config key', () => {
    expect(connectorEnvPrefix('quickbooks-online')).toBe('LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_');
    expect(connectorEnvVar('xero', 'apiBaseUrl')).toBe('LEDGERLINK_CONNECTOR_XERO_API_BASE_URL');
    expect(envKeyToConfigKey('CLIENT_ID')).toBe('clientId');
    expect(configKeyToEnvKey('userinfoEndpoint')).toBe('USERINFO_ENDPOINT');
  });

  it("collects only this connector's non-blank variables, leaving longer ids' variables alone", () => {
    const env = {
      LEDGERLINK_CONNECTOR_XERO_CLIENT_ID: ' abc ',
      LEDGERLINK_CONNECTOR_XERO_API_BASE_URL: 'http://127.0.0.1:1/xero',
      LEDGERLINK_CONNECTOR_XERO_CLIENT_SECRET: '  ',
      LEDGERLINK_CONNECTOR_XERO_PAYROLL_CLIENT_ID: 'payroll',
      LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'qbo',
      PATH: '/usr/bin',
    };
    expect(collectConnectorEnv('xero', env, ['xero', 'xero-payroll', 'quickbooks-online'])).toEqual({ clientId: 'abc', apiBaseUrl: 'http://127.0.0.1:1/xero' });
  });
});
