import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv, startSandbox } from '../src/index.js';
import { REDIRECT_URI, consentForm, control } from './helpers.js';

// The official Intuit client drives the sandbox: its endpoints are static properties, pointed at
// the sandbox the way dependencies.md §5 shows, and restored afterwards.
const original = {
  authorizeEndpoint: OAuthClient.authorizeEndpoint,
  tokenEndpoint: OAuthClient.tokenEndpoint,
  revokeEndpoint: OAuthClient.revokeEndpoint,
  userinfo: OAuthClient.userinfo_endpoint_sandbox,
  environment: OAuthClient.environment,
  jwks: OAuthClient.jwks_uri,
};

let sandbox: RunningSandbox;
let realmId: string;

function newClient(): OAuthClient {
  return new OAuthClient({ clientId: SANDBOX_QBO_CLIENT_ID, clientSecret: SANDBOX_QBO_CLIENT_SECRET, environment: 'sandbox', redirectUri: REDIRECT_URI });
}

/** Consent like a person: open the authorize URL, pick the company, press Connect. */
async function consentThroughPage(client: OAuthClient, scope: string[]): Promise<string> {
  const page = await fetch(client.authorizeUri({ scope, state: 'csrf-123' }));
  const text = await page.text();
  expect(page.status).toBe(200);
  expect(text).toContain('Connect to Ledgerlink (development)');
  expect(text).toMatch(/<label for="realm-\d+">Harbour Goods Ltd/);
  const res = await fetch(`${sandbox.url}/qbo/connect/oauth2`, { method: 'POST', body: consentForm(text, realmId), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

async function rejection(promise: Promise<unknown>): Promise<{ error?: string; message?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as { error?: string; message?: string },
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  const env = sandboxConnectorEnv(sandbox.url);
  OAuthClient.authorizeEndpoint = env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_AUTHORIZE_ENDPOINT ?? '';
  OAuthClient.tokenEndpoint = env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_TOKEN_ENDPOINT ?? '';
  OAuthClient.revokeEndpoint = env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_REVOKE_ENDPOINT ?? '';
  OAuthClient.userinfo_endpoint_sandbox = env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_USERINFO_ENDPOINT ?? '';
  const apiBase = `${env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL ?? ''}/`;
  OAuthClient.environment = { sandbox: apiBase, production: apiBase };
  OAuthClient.jwks_uri = `${sandbox.url}/qbo/op/v1/jwks`;
  const companies = (await control(sandbox.url, '/qbo/companies')).body as { realmId: string; name: string }[];
  realmId = companies.find((c) => c.name === 'Harbour Goods Ltd')?.realmId ?? '';
});

afterAll(async () => {
  OAuthClient.authorizeEndpoint = original.authorizeEndpoint;
  OAuthClient.tokenEndpoint = original.tokenEndpoint;
  OAuthClient.revokeEndpoint = original.revokeEndpoint;
  OAuthClient.userinfo_endpoint_sandbox = original.userinfo;
  OAuthClient.environment = original.environment;
  OAuthClient.jwks_uri = original.jwks;
  await sandbox.close();
});

describe('intuit-oauth against the sandbox', () => {
  it('connects a chosen company: consent page, code exchange, API call on that realm', async () => {
    const client = newClient();
    const callback = await consentThroughPage(client, [OAuthClient.scopes.Accounting]);
    const url = new URL(callback);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('csrf-123');
    expect(url.searchParams.get('realmId')).toBe(realmId);

    const auth = await client.createToken(callback);
    const token = auth.getJson() as Record<string, unknown>;
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    expect(token.id_token).toBeUndefined();
    expect(client.getToken().realmId).toBe(realmId);
    expect(client.isAccessTokenValid()).toBe(true);

    const info = await client.makeApiCall({ url: `v3/company/${realmId}/companyinfo/${realmId}?minorversion=75` });
    expect((info.json as { CompanyInfo: { CompanyName: string } }).CompanyInfo.CompanyName).toBe('Harbour Goods Ltd');
  });

  it('refuses a code used twice and a code sent with another redirect_uri', async () => {
    const client = newClient();
    const callback = await consentThroughPage(client, [OAuthClient.scopes.Accounting]);
    await client.createToken(callback);
    expect((await rejection(client.createToken(callback))).error).toBe('invalid_grant');

    const other = newClient();
    other.redirectUri = 'http://127.0.0.1:9/somewhere-else';
    const second = await consentThroughPage(newClient(), [OAuthClient.scopes.Accounting]);
    expect((await rejection(other.createToken(second))).error).toBe('invalid_grant');
  });

  it('rotates the refresh token; the previous one works only during the grace window', async () => {
    const client = newClient();
    await client.createToken(await consentThroughPage(client, [OAuthClient.scopes.Accounting]));
    const first = client.getToken().refresh_token;

    await client.refresh();
    const second = client.getToken().refresh_token;
    expect(second).not.toBe(first);
    expect(client.getToken().x_refresh_token_expires_in).toBe(8726400);

    // A racing worker that still holds the previous token gets a working access token and the newest refresh token.
    const racer = newClient();
    await racer.refreshUsingToken(first);
    expect(racer.getToken().refresh_token).toBe(second);
    const check = await racer.makeApiCall({ url: `v3/company/${realmId}/companyinfo/${realmId}` });
    expect(check.status).toBe(200);

    await control(sandbox.url, '/clock', { advanceSeconds: 121 });
    expect((await rejection(newClient().refreshUsingToken(first))).error).toBe('invalid_grant');
    await client.refresh();
    expect(client.getToken().refresh_token).not.toBe(second);
  });

  it('expired access tokens get 401 until refreshed', async () => {
    const client = newClient();
    await client.createToken(await consentThroughPage(client, [OAuthClient.scopes.Accounting]));
    await control(sandbox.url, '/clock', { advanceSeconds: 3601 });
    const res = await fetch(`${sandbox.url}/qbo/v3/company/${realmId}/companyinfo/${realmId}`, {
      headers: { authorization: `Bearer ${client.getToken().access_token}`, accept: 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toContain('Token expired');
    await client.refresh();
    const again = await client.makeApiCall({ url: `v3/company/${realmId}/companyinfo/${realmId}` });
    expect(again.status).toBe(200);
  });

  it('revoke disconnects: API calls answer 401 and the refresh token is dead', async () => {
    const client = newClient();
    await client.createToken(await consentThroughPage(client, [OAuthClient.scopes.Accounting]));
    const { access_token: accessToken, refresh_token: refreshToken } = client.getToken();
    await client.revoke();
    const res = await fetch(`${sandbox.url}/qbo/v3/company/${realmId}/companyinfo/${realmId}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.status).toBe(401);
    expect((await rejection(newClient().refreshUsingToken(refreshToken))).error).toBe('invalid_grant');
  });

  it('with the openid scope: a signed id_token that validateIdToken accepts, and userinfo', async () => {
    const client = newClient();
    const callback = await consentThroughPage(client, [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId, 'email', 'profile']);
    await client.createToken(callback);
    const idToken = client.getToken().id_token;
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ iss: 'https://oauth.platform.intuit.com/op/v1', aud: [SANDBOX_QBO_CLIENT_ID], realmid: realmId });
    await expect(client.validateIdToken()).resolves.toBe(true);

    const user = await client.getUserInfo();
    expect(user.json).toMatchObject({ email: 'sam.sandbox@example.com', emailVerified: true, givenName: 'Sam' });

    // A token whose claims were changed after signing must not validate.
    const [header, , signature] = idToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, realmid: '1' })).toString('base64url');
    client.setToken({ ...client.getToken().getToken(), id_token: `${header}.${forged}.${signature}` });
    await expect(client.validateIdToken()).rejects.toThrow();
  });

  it('rejects a wrong client secret with invalid_client (401)', async () => {
    const bad = new OAuthClient({ clientId: SANDBOX_QBO_CLIENT_ID, clientSecret: 'wrong', environment: 'sandbox', redirectUri: REDIRECT_URI });
    const callback = await consentThroughPage(newClient(), [OAuthClient.scopes.Accounting]);
    const error = await rejection(bad.createToken(callback));
    expect(error.message).toMatch(/invalid_client|Unauthorized/);
  });
});
