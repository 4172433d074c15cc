import OAuthClient from 'intuit-oauth';
import { ConnectorError, ConnectorErrors, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import type { QboConfig } from './config.js';
import { retryAfterSeconds } from './errors.js';
import { QboCompanyInfo } from './vendor/name-list.schema.js';
import { IntuitTokenResponse } from './vendor/token.schema.js';

/** Accounting access plus the OpenID scopes that identify the person who connected. */
export const SCOPES = ['com.intuit.quickbooks.accounting', 'openid', 'profile', 'email'] as const;

/**
 * An intuit-oauth client aimed at the configured endpoints. intuit-oauth keeps its endpoints in
 * process-global static properties, so they are assigned from this config right before every
 * call; each call reads them synchronously when it starts, so concurrent calls with different
 * configs do not mix.
 */
function oauthClient(config: QboConfig, redirectUri = ''): OAuthClient {
  OAuthClient.authorizeEndpoint = config.authorizeEndpoint;
  OAuthClient.tokenEndpoint = config.tokenEndpoint;
  OAuthClient.revokeEndpoint = config.revokeEndpoint;
  if (config.environment === 'sandbox') OAuthClient.userinfo_endpoint_sandbox = config.userinfoEndpoint;
  else OAuthClient.userinfo_endpoint_production = config.userinfoEndpoint;
  return new OAuthClient({ clientId: config.clientId, clientSecret: config.clientSecret, environment: config.environment, redirectUri });
}

export const qboAuth: OAuth2Auth<QboConfig> = {
  type: 'oauth2',
  scopes: SCOPES,

  authorizeUrl({ config, state, redirectUri }) {
    return oauthClient(config, redirectUri).authorizeUri({ scope: [...SCOPES], state });
  },

  async exchange({ config, redirectUri, callbackUrl }) {
    const params = callbackParams(callbackUrl);
    const denied = params.get('error');
    if (denied) {
      throw ConnectorErrors.authRevoked(`QuickBooks did not grant access (${denied}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}); start the connection again and approve it`);
    }
    if (!params.get('code')) throw ConnectorErrors.validation('callbackUrl', 'The callback URL has no "code" parameter; pass the full URL QuickBooks redirected to');
    const realmId = params.get('realmId');
    if (!realmId) {
      throw ConnectorErrors.validation('callbackUrl', 'The callback URL has no "realmId" parameter; pass the full URL QuickBooks redirected to (it names the company that was chosen)');
    }
    const started = Date.now();
    const client = oauthClient(config, redirectUri);
    const token = await client.createToken(callbackUrl).then(
      (response) => tokenFrom(response.json),
      (error: unknown) => {
        throw oauthFailure(error, 'exchange the authorization code');
      },
    );
    const credentials = credentialsFrom(token, started, { realmId });
    return { credentials, tenants: [await tenantOf(config, realmId, credentials.accessToken)] };
  },

  async refresh({ config, credentials }) {
    if (!credentials.refreshToken) throw ConnectorErrors.authRevoked('No QuickBooks refresh token is stored; connect the company again');
    const started = Date.now();
    const client = oauthClient(config);
    const token = await client.refreshUsingToken(credentials.refreshToken).then(
      (response) => tokenFrom(response.json),
      (error: unknown) => {
        throw oauthFailure(error, 'refresh the access token');
      },
    );
    // QBO rotates refresh tokens: always hand back the one from this answer.
    return credentialsFrom(token, started, credentials.extra ?? {}, credentials.refreshToken);
  },

  async revoke({ config, credentials }) {
    const token = credentials.refreshToken ?? credentials.accessToken;
    const client = oauthClient(config);
    try {
      // Revoking the refresh token revokes the access tokens issued from it.
      await client.revoke(credentials.refreshToken ? { refresh_token: token } : { access_token: token });
    } catch (error) {
      const failure = oauthFailure(error, 'revoke the token');
      // A token QBO no longer knows is as good as revoked.
      if (failure.kind === 'auth_revoked') return;
      throw failure;
    }
  },
};

/** Reads the companies' name for the consent's realm; falls back to a generic name when CompanyInfo is unreachable. */
async function tenantOf(config: QboConfig, realmId: string, accessToken: string): Promise<Tenant> {
  const fallback: Tenant = { id: realmId, name: `QuickBooks company ${realmId}` };
  try {
    const url = `${config.apiBaseUrl}/v3/company/${encodeURIComponent(realmId)}/companyinfo/${encodeURIComponent(realmId)}?minorversion=${config.minorVersion}`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) return fallback;
    const body = (await response.json()) as { CompanyInfo?: unknown };
    const info = QboCompanyInfo.safeParse(body.CompanyInfo);
    const name = info.success ? (info.data.CompanyName ?? info.data.LegalName)?.trim() : undefined;
    return name ? { id: realmId, name } : fallback;
  } catch {
    return fallback;
  }
}

function callbackParams(callbackUrl: string): URLSearchParams {
  const query = callbackUrl.includes('?') ? callbackUrl.slice(callbackUrl.indexOf('?') + 1) : callbackUrl;
  return new URLSearchParams(query.split('#')[0]);
}

function tokenFrom(json: unknown): IntuitTokenResponse {
  const parsed = IntuitTokenResponse.safeParse(json);
  if (!parsed.success) throw ConnectorErrors.transient('Intuit answered the token request without an access token; try again');
  return parsed.data;
}

function credentialsFrom(token: IntuitTokenResponse, issuedAtMs: number, extra: Readonly<Record<string, string>>, previousRefreshToken?: string): Credentials {
  const at = (seconds: number | null | undefined) => (seconds ? new Date(issuedAtMs + seconds * 1000).toISOString() : undefined);
  const expiresAt = at(token.expires_in);
  const refreshTokenExpiresAt = at(token.x_refresh_token_expires_in);
  const refreshToken = token.refresh_token ?? previousRefreshToken;
  return {
    accessToken: token.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
    ...(token.scope ? { scope: token.scope } : { scope: SCOPES.join(' ') }),
    extra,
  };
}

/** intuit-oauth's errors (axios underneath) → ConnectorError. Never includes tokens or secrets. */
export function oauthFailure(error: unknown, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    error?: unknown;
    error_description?: unknown;
    message?: unknown;
    authResponse?: { response?: { status?: unknown; headers?: Record<string, unknown> } };
  };
  const status = typeof e.authResponse?.response?.status === 'number' ? e.authResponse.response.status : undefined;
  const code = typeof e.error === 'string' ? e.error : '';
  const description = typeof e.error_description === 'string' && e.error_description !== code ? `: ${e.error_description}` : '';
  const why = `${code || (typeof e.message === 'string' ? e.message : 'unknown error')}${description}`;
  if (code === 'invalid_client' || status === 401) {
    return ConnectorErrors.validation('clientId', `Intuit rejected the app's client id or secret while trying to ${action} (${why}); check LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID and _CLIENT_SECRET`);
  }
  if (status === 429) {
    const header = e.authResponse?.response?.headers?.['retry-after'];
    return ConnectorErrors.rateLimited(`Intuit throttled the request to ${action}`, retryAfterSeconds(typeof header === 'string' ? header : undefined));
  }
  if (status === undefined || status >= 500) {
    return ConnectorErrors.transient(`Could not ${action}: Intuit's OAuth server did not answer properly (${why}); try again`);
  }
  return ConnectorErrors.authRevoked(`Intuit refused to ${action} (${why}); connect the QuickBooks company again`);
}
