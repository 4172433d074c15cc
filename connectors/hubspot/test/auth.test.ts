import { isConnectorError } from '@ledgerlink/connector-sdk';
import { SANDBOX_HUBSPOT_DEMO_PORTAL_ID } from '@ledgerlink/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, connectToSandbox, consent, oauth, REDIRECT_URI, type SandboxConnection } from './support/sandbox-connection.js';

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

describe('HubSpot OAuth through @hubspot/api-client', () => {
  it('the authorize URL is the configured one, with the scopes, state and redirect URI', async () => {
    const url = new URL(await oauth().authorizeUrl({ config: connection.config, state: 'abc "1"', redirectUri: REDIRECT_URI }));
    expect(`${url.origin}${url.pathname}`).toBe(connection.config.authorizeUrl);
    expect(url.searchParams.get('state')).toBe('abc "1"');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('client_id')).toBe(connection.config.clientId);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['oauth', 'crm.objects.contacts.write', 'crm.objects.companies.write']));
  });

  it('the exchange names the portal (hub id) the app was installed on and sets the expiry', async () => {
    const { credentials, tenants } = await connectAgain();
    expect(tenants).toEqual([{ id: String(SANDBOX_HUBSPOT_DEMO_PORTAL_ID), name: expect.stringMatching(/\S/) as unknown as string }]);
    expect(tenants[0]?.name).not.toMatch(/^HubSpot account /);
    expect(credentials.refreshToken).toBeTruthy();
    expect(credentials.extra?.hubId).toBe(String(SANDBOX_HUBSPOT_DEMO_PORTAL_ID));
    expect(Date.parse(credentials.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('refresh hands back a refresh token and a new access token that works', async () => {
    const { credentials } = await connectAgain();
    const refreshed = await oauth().refresh({ config: connection.config, credentials });
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.accessToken).not.toBe(credentials.accessToken);
    const response = await fetch(`${connection.config.apiBaseUrl}/crm/v3/objects/contacts?limit=1`, { headers: { Authorization: `Bearer ${refreshed.accessToken}` } });
    expect(response.status).toBe(200);
  });

  it('after revoke (disconnect), refreshing fails with auth_revoked', async () => {
    const { credentials } = await connectAgain();
    await oauth().revoke?.({ config: connection.config, credentials });
    const error = await oauth().refresh({ config: connection.config, credentials }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('auth_revoked');
    // Revoking again is not an error: the grant is already gone.
    await expect(oauth().revoke?.({ config: connection.config, credentials })).resolves.toBeUndefined();
  });

  it('a wrong client secret is a validation error that names the env vars', async () => {
    const { credentials } = await connectAgain();
    const error = await oauth()
      .refresh({ config: { ...connection.config, clientSecret: 'wrong' }, credentials })
      .catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('validation');
    expect(String((error as Error).message)).toContain('LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_SECRET');
  });

  it('a denied consent becomes auth_revoked with the reason; a callback without code is a validation error', async () => {
    const denied = await oauth()
      .exchange({ config: connection.config, redirectUri: REDIRECT_URI, callbackUrl: `${REDIRECT_URI}?error=access_denied&state=x` })
      .catch((e: unknown) => e);
    expect(isConnectorError(denied) && denied.kind).toBe('auth_revoked');
    expect(String((denied as Error).message)).toContain('access_denied');
    const noCode = await oauth()
      .exchange({ config: connection.config, redirectUri: REDIRECT_URI, callbackUrl: `${REDIRECT_URI}?state=x` })
      .catch((e: unknown) => e);
    expect(isConnectorError(noCode) && noCode.field).toBe('callbackUrl');
  });

  it('tenants.list names the portal through the session', async () => {
    expect(await connection.session.tenants.list()).toContainEqual(connection.tenant);
  });
});

describe('configuration from LEDGERLINK_CONNECTOR_HUBSPOT_*', () => {
  it('names the variable to set when the client id is missing', () => {
    expect(() => configFromEnv({ LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_SECRET: 's' })).toThrow(/LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID/);
  });

  it('defaults to HubSpot itself and refuses a token URL that is not …/oauth/v1/token', () => {
    const config = configFromEnv({ LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID: 'id', LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_SECRET: 's' });
    expect(config).toMatchObject({ apiBaseUrl: 'https://api.hubapi.com', tokenUrl: 'https://api.hubapi.com/oauth/v1/token', webhookMaxAgeSeconds: 300 });
    expect(() => configFromEnv({ LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID: 'id', LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_SECRET: 's', LEDGERLINK_CONNECTOR_HUBSPOT_TOKEN_URL: 'https://example.com/token' })).toThrow(
      /LEDGERLINK_CONNECTOR_HUBSPOT_TOKEN_URL/,
    );
  });
});
