import { isConnectorError } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToSandbox, consent, oauth, REDIRECT_URI, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

async function connectAgain() {
  const callback = await consent(await oauth().authorizeUrl({ config: connection.config, state: 'st-1', redirectUri: REDIRECT_URI }));
  return oauth().exchange({ config: connection.config, redirectUri: REDIRECT_URI, callbackUrl: callback.toString() });
}

describe('Xero OAuth through xero-node and openid-client', () => {
  it('the authorize URL is the configured issuer\'s, with the scopes, state and redirect URI', async () => {
    const url = new URL(await oauth().authorizeUrl({ config: connection.config, state: 'abc "1"', redirectUri: REDIRECT_URI }));
    expect(`${url.origin}${url.pathname}`).toBe(`${connection.config.issuerUrl}/connect/authorize`);
    expect(url.searchParams.get('state')).toBe('abc "1"');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['offline_access', 'accounting.contacts', 'accounting.invoices', 'accounting.payments']));
  });

  it('the exchange names the connected organisation and sets expiry times', async () => {
    const { credentials, tenants } = await connectAgain();
    expect(tenants).toContainEqual({ id: connection.tenant.id, name: connection.tenant.name });
    expect(connection.tenant.name).not.toMatch(/^Xero organisation /);
    expect(credentials.refreshToken).toBeTruthy();
    expect(Date.parse(credentials.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('refresh hands back the rotated refresh token, and the new access token works', async () => {
    const { credentials } = await connectAgain();
    const refreshed = await oauth().refresh({ config: connection.config, credentials });
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(refreshed.accessToken).not.toBe(credentials.accessToken);
    const response = await fetch(connection.config.connectionsUrl, { headers: { Authorization: `Bearer ${refreshed.accessToken}` } });
    expect(response.status).toBe(200);
  });

  it('after revoke, refreshing fails with auth_revoked (reconnect)', async () => {
    const { credentials } = await connectAgain();
    await oauth().revoke?.({ config: connection.config, credentials });
    const error = await oauth().refresh({ config: connection.config, credentials }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('auth_revoked');
  });

  it('a wrong client secret is reported as a validation error on clientId that names the env vars', async () => {
    const { credentials } = await connectAgain();
    const error = await oauth()
      .refresh({ config: { ...connection.config, clientSecret: 'wrong' }, credentials })
      .catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('validation');
    expect(String((error as Error).message)).toContain('LEDGERLINK_CONNECTOR_XERO_CLIENT_SECRET');
  });

  it('a denied consent becomes auth_revoked with the reason', async () => {
    const error = await oauth()
      .exchange({ config: connection.config, redirectUri: REDIRECT_URI, callbackUrl: `${REDIRECT_URI}?error=access_denied&state=x` })
      .catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('auth_revoked');
    expect(String((error as Error).message)).toContain('access_denied');
  });

  it('tenants.list reads the connections endpoint through the session', async () => {
    expect(await connection.session.tenants.list()).toContainEqual(connection.tenant);
  });
});
