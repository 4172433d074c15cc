import { Issuer, errors as oidcErrors, type Client, type TokenSet } from 'openid-client';
import { XeroClient as XeroNodeClient } from 'xero-node';
import { ConnectorError, ConnectorErrors, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import { tenantsFrom } from './client.js';
import { envVarFor, type XeroConfig } from './config.js';
import { errorFromResponse, retryAfterSeconds } from './errors.js';
import { XeroConnections } from './vendor/contact.schema.js';

/**
 * Contacts read/write, invoices/credit notes and payments read/write, a refresh token, and the
 * OpenID scopes that identify who connected (reference §7.3). New Xero apps (from 2 March 2026)
 * must use the granular transaction scopes; older apps may use `accounting.transactions`.
 */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'accounting.contacts', 'accounting.invoices', 'accounting.payments'] as const;
export const CLASSIC_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'accounting.contacts', 'accounting.transactions'] as const;

export function scopesFor(config: Pick<XeroConfig, 'scopeSet'>): readonly string[] {
  return config.scopeSet === 'classic' ? CLASSIC_SCOPES : SCOPES;
}

/**
 * OpenID issuers by URL. xero-node hard-codes `Issuer.discover('https://identity.xero.com')`, so
 * the connector discovers the configured issuer itself and hands xero-node the client
 * (reference §8.3). A failed discovery is not kept, so the next call tries again.
 */
const issuers = new Map<string, Promise<Issuer>>();

function discover(config: XeroConfig): Promise<Issuer> {
  let issuer = issuers.get(config.issuerUrl);
  if (!issuer) {
    issuer = Issuer.discover(config.issuerUrl).catch((error: unknown) => {
      issuers.delete(config.issuerUrl);
      throw ConnectorErrors.transient(
        `Could not read Xero's OpenID configuration from ${config.issuerUrl} (${error instanceof Error ? error.message : String(error)}); check ${envVarFor('issuerUrl')} and try again`,
      );
    });
    issuers.set(config.issuerUrl, issuer);
  }
  return issuer;
}

/** A xero-node client whose OpenID client points at the configured issuer. */
async function xeroNode(config: XeroConfig, redirectUri: string | undefined, state?: string): Promise<XeroNodeClient> {
  const issuer = await discover(config);
  const redirectUris = redirectUri ? [redirectUri] : [];
  const xero = new XeroNodeClient({ clientId: config.clientId, clientSecret: config.clientSecret, redirectUris, scopes: [...scopesFor(config)], ...(state ? { state } : {}) });
  const client: Client = new issuer.Client({ client_id: config.clientId, client_secret: config.clientSecret, redirect_uris: redirectUris, response_types: ['code'] });
  xero.openIdClient = client;
  return xero;
}

export const xeroAuth: OAuth2Auth<XeroConfig> = {
  type: 'oauth2',
  scopes: SCOPES,

  async authorizeUrl({ config, state, redirectUri }) {
    return (await xeroNode(config, redirectUri, state)).buildConsentUrl();
  },

  async exchange({ config, redirectUri, callbackUrl }) {
    const params = callbackParams(callbackUrl);
    const denied = params.get('error');
    if (denied) {
      const description = params.get('error_description');
      throw ConnectorErrors.authRevoked(`Xero did not grant access (${denied}${description ? `: ${description}` : ''}); start the connection again and approve it`);
    }
    if (!params.get('code')) throw ConnectorErrors.validation('callbackUrl', 'The callback URL has no "code" parameter; pass the full URL Xero redirected to');
    // The host checked `state` against its own record; xero-node needs it to accept the callback.
    const xero = await xeroNode(config, redirectUri, params.get('state') ?? undefined);
    const started = Date.now();
    const tokenSet = await xero.apiCallback(callbackUrl).catch((error: unknown) => {
      throw oauthFailure(error, 'exchange the authorization code');
    });
    const credentials = credentialsFrom(tokenSet, started);
    return { credentials, tenants: await tenantsOf(config, credentials.accessToken) };
  },

  async refresh({ config, credentials }) {
    if (!credentials.refreshToken) throw ConnectorErrors.authRevoked('No Xero refresh token is stored; connect the organisation again');
    const xero = await xeroNode(config, undefined);
    xero.setTokenSet({ access_token: credentials.accessToken, refresh_token: credentials.refreshToken });
    const started = Date.now();
    const tokenSet = await xero.refreshToken().catch((error: unknown) => {
      throw oauthFailure(error, 'refresh the access token');
    });
    // Xero rotates refresh tokens: keep the one this answer carries.
    return credentialsFrom(tokenSet, started, credentials);
  },

  async revoke({ config, credentials }) {
    const xero = await xeroNode(config, undefined);
    try {
      if (credentials.refreshToken) {
        // Revoking the refresh token ends the grant and removes the app's connections.
        xero.setTokenSet({ access_token: credentials.accessToken, refresh_token: credentials.refreshToken });
        await xero.revokeToken();
      } else {
        await xero.openIdClient.revoke(credentials.accessToken);
      }
    } catch (error) {
      const failure = oauthFailure(error, 'revoke the token');
      // A token Xero no longer knows is as good as revoked.
      if (failure.kind === 'auth_revoked') return;
      throw failure;
    }
  },
};

/** The organisations the new token may use, from the connections endpoint. */
async function tenantsOf(config: XeroConfig, accessToken: string): Promise<Tenant[]> {
  let response: Response;
  try {
    response = await fetch(config.connectionsUrl, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw ConnectorErrors.transient(`Could not list the connected Xero organisations (${error instanceof Error ? error.message : String(error)}); try again`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: left as text for the error message
  }
  if (!response.ok) {
    throw errorFromResponse({ status: response.status, headers: Object.fromEntries(response.headers), body, text }, 'read');
  }
  const parsed = XeroConnections.safeParse(body);
  if (!parsed.success) throw ConnectorErrors.transient('Xero sent the connections list in an unexpected shape; try again');
  const tenants = tenantsFrom(parsed.data);
  if (tenants.length === 0) throw ConnectorErrors.authRevoked('The Xero consent did not connect any organisation; connect again and pick one');
  return tenants;
}

function callbackParams(callbackUrl: string): URLSearchParams {
  const query = callbackUrl.includes('?') ? callbackUrl.slice(callbackUrl.indexOf('?') + 1) : callbackUrl;
  return new URLSearchParams(query.split('#')[0]);
}

function credentialsFrom(tokenSet: TokenSet, issuedAtMs: number, previous?: Credentials): Credentials {
  if (!tokenSet.access_token) throw ConnectorErrors.transient('Xero answered the token request without an access token; try again');
  const expiresAt = tokenSet.expires_at
    ? new Date(tokenSet.expires_at * 1000).toISOString()
    : tokenSet.expires_in
      ? new Date(issuedAtMs + tokenSet.expires_in * 1000).toISOString()
      : undefined;
  const refreshToken = tokenSet.refresh_token ?? previous?.refreshToken;
  const scope = tokenSet.scope ?? previous?.scope ?? SCOPES.join(' ');
  return {
    accessToken: tokenSet.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    // Unused Xero refresh tokens expire after 60 days.
    ...(refreshToken ? { refreshTokenExpiresAt: new Date(issuedAtMs + 60 * 86_400_000).toISOString() } : {}),
    scope,
    extra: previous?.extra ?? {},
  };
}

/** openid-client's errors → ConnectorError. Never includes tokens or secrets. */
export function oauthFailure(error: unknown, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof oidcErrors.OPError) {
    const status = error.response?.statusCode;
    const why = `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
    if (error.error === 'invalid_client' || status === 401) {
      return ConnectorErrors.validation('clientId', `Xero rejected the app's client id or secret while trying to ${action} (${why}); check ${envVarFor('clientId')} and ${envVarFor('clientSecret')}`);
    }
    if (status === 429) {
      const header = error.response?.headers['retry-after'];
      return ConnectorErrors.rateLimited(`Xero throttled the request to ${action}`, retryAfterSeconds(typeof header === 'string' ? header : undefined));
    }
    if (status !== undefined && status >= 500) return ConnectorErrors.transient(`Could not ${action}: Xero's identity server answered ${status} (${why}); try again`);
    return ConnectorErrors.authRevoked(`Xero refused to ${action} (${why}); connect the Xero organisation again`);
  }
  if (error instanceof oidcErrors.RPError) {
    return ConnectorErrors.authRevoked(`Xero's answer to the request to ${action} did not pass validation (${error.message}); connect the Xero organisation again`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return ConnectorErrors.transient(`Could not ${action}: Xero's identity server did not answer properly (${message}); try again`);
}
