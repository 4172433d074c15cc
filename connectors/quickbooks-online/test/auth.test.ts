import { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv, startSandbox } from '@ledgerlink/sandbox';
import { isConnectorError } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, connectToSandbox, consent, oauth, REDIRECT_URI, type SandboxConnection } from './support/sandbox-connection.js';

describe('QuickBooks Online OAuth against the sandbox', () => {
  let connection: SandboxConnection;

  beforeAll(async () => {
    connection = await connectToSandbox();
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('exchanges the callback for credentials and names the chosen company from CompanyInfo', async () => {
    const { credentials, tenant, config } = connection;
    expect(config.clientId).toBe(SANDBOX_QBO_CLIENT_ID);
    expect(config.clientSecret).toBe(SANDBOX_QBO_CLIENT_SECRET);
    expect(credentials.accessToken).not.toBe('');
    expect(credentials.refreshToken).toBeTruthy();
    expect(Date.parse(credentials.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(Date.parse(credentials.refreshTokenExpiresAt ?? '')).toBeGreaterThan(Date.parse(credentials.expiresAt ?? ''));
    expect(credentials.extra?.realmId).toBe(tenant.id);
    expect(tenant.name).not.toMatch(/^QuickBooks company /);
    expect(await connection.session.tenants.list()).toEqual([tenant]);
  });

  it('refresh returns a rotated refresh token and new expiry times, and the new access token works', async () => {
    const before = connection.credentials;
    const after = await oauth().refresh({ config: connection.config, credentials: before });
    expect(after.refreshToken).toBeTruthy();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(after.refreshTokenExpiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(after.extra?.realmId).toBe(connection.tenant.id);
    connection.credentials = after;
    expect(await connection.session.tenants.list()).toEqual([connection.tenant]);

    // And the rotated token refreshes again.
    connection.credentials = await oauth().refresh({ config: connection.config, credentials: after });
    expect(connection.credentials.refreshToken).not.toBe(after.refreshToken);
  });

  it('a wrong client secret is reported on clientId/clientSecret, not as a lost connection', async () => {
    const error = await oauth()
      .refresh({ config: { ...connection.config, clientSecret: 'wrong' }, credentials: connection.credentials })
      .catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('validation');
    expect((error as Error).message).toContain('CLIENT_SECRET');
  });

  it('after revoke the access token stops working and refresh says the connection is revoked', async () => {
    await oauth().revoke?.({ config: connection.config, credentials: connection.credentials });
    const call = await connection.session.tenants.list().catch((e: unknown) => e);
    expect(isConnectorError(call) && call.kind).toBe('auth_expired');
    const refresh = await oauth().refresh({ config: connection.config, credentials: connection.credentials }).catch((e: unknown) => e);
    expect(isConnectorError(refresh) && refresh.kind).toBe('auth_revoked');
  });
});

describe('consent that goes wrong', () => {
  it('a person who cancels on the consent page gets auth_revoked, and a callback without realmId names the field', async () => {
    const sandbox = await startSandbox({ port: 0, seedDemo: true });
    try {
      const config = configFromEnv(sandboxConnectorEnv(sandbox.url));
      const url = await oauth().authorizeUrl({ config, state: 's', redirectUri: REDIRECT_URI });
      const callback = await consent(url);
      const denied = new URL(callback);
      denied.search = '?error=access_denied&state=s';
      const cancelled = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: denied.toString() }).catch((e: unknown) => e);
      expect(isConnectorError(cancelled) && cancelled.kind).toBe('auth_revoked');

      const noRealm = new URL(callback);
      noRealm.searchParams.delete('realmId');
      const missing = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: noRealm.toString() }).catch((e: unknown) => e);
      expect(isConnectorError(missing) && missing.toJSON()).toMatchObject({ kind: 'validation', field: 'callbackUrl' });

      // The untouched callback still works once; replaying its code does not.
      await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() });
      const replay = await oauth().exchange({ config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() }).catch((e: unknown) => e);
      expect(isConnectorError(replay) && replay.kind).toBe('auth_revoked');
    } finally {
      await sandbox.close();
    }
  });
});
