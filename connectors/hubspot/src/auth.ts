import { Client } from '@hubspot/api-client';
import { ConnectorError, ConnectorErrors, type Credentials, type OAuth2Auth, type Tenant } from '@ledgerlink/connector-sdk';
import { envVarFor, oauthBasePath, type HubspotConfig } from './config.js';
import { HubspotErrorBody, retryAfterSeconds } from './errors.js';

/** Contacts (and the notes on them) and companies, read and write. `oauth` is required by HubSpot for every app. */
export const SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write'] as const;

/** @hubspot/api-client pointed at the configured OAuth base (`basePath`), with its own retries off: the host retries. */
function oauthClient(config: HubspotConfig): Client {
  return new Client({ basePath: oauthBasePath(config), numberOfApiCallRetries: 0 });
}

export const hubspotAuth: OAuth2Auth<HubspotConfig> = {
  type: 'oauth2',
  scopes: SCOPES,

  authorizeUrl({ config, state, redirectUri }) {
    const url = new URL(config.authorizeUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', SCOPES.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  },

  async exchange({ config, redirectUri, callbackUrl }) {
    const params = callbackParams(callbackUrl);
    const denied = params.get('error');
    if (denied) {
      const description = params.get('error_description');
      throw ConnectorErrors.authRevoked(`HubSpot did not grant access (${denied}${description ? `: ${description}` : ''}); start the connection again and approve it`);
    }
    const code = params.get('code');
    if (!code) throw ConnectorErrors.validation('callbackUrl', 'The callback URL has no "code" parameter; pass the full URL HubSpot redirected to');
    const started = Date.now();
    const client = oauthClient(config);
    const tokens = await client.oauth.tokensApi.create('authorization_code', code, redirectUri, config.clientId, config.clientSecret).catch((error: unknown) => {
      throw oauthFailure(error, 'exchange the authorization code');
    });
    const credentials = credentialsFrom(tokens, started);
    const tenant = await tenantOf(config, credentials.accessToken);
    return { credentials: { ...credentials, extra: { hubId: tenant.id, hubDomain: tenant.name } }, tenants: [tenant] };
  },

  async refresh({ config, credentials }) {
    if (!credentials.refreshToken) throw ConnectorErrors.authRevoked('No HubSpot refresh token is stored; connect the HubSpot account again');
    const started = Date.now();
    const tokens = await oauthClient(config)
      .oauth.tokensApi.create('refresh_token', undefined, undefined, config.clientId, config.clientSecret, credentials.refreshToken)
      .catch((error: unknown) => {
        throw oauthFailure(error, 'refresh the access token');
      });
    // Keep the refresh token this answer carries (HubSpot may rotate it), else the one we had.
    return credentialsFrom(tokens, started, credentials);
  },

  async revoke({ config, credentials }) {
    if (!credentials.refreshToken) return;
    try {
      // Deleting the refresh token uninstalls nothing but ends this grant: no new access tokens.
      await oauthClient(config).oauth.refreshTokensApi.archive(credentials.refreshToken);
    } catch (error) {
      const failure = oauthFailure(error, 'revoke the refresh token');
      // A token HubSpot no longer knows is as good as revoked.
      if (failure.kind === 'auth_revoked' || failure.kind === 'not_found') return;
      throw failure;
    }
  },
};

/** The portal (hub) an access token belongs to, named by its domain. */
async function tenantOf(config: HubspotConfig, accessToken: string): Promise<Tenant> {
  const info = await oauthClient(config)
    .oauth.accessTokensApi.get(accessToken)
    .catch((error: unknown) => {
      throw oauthFailure(error, 'read which HubSpot account the token belongs to');
    });
  return { id: String(info.hubId), name: info.hubDomain?.trim() || `HubSpot account ${info.hubId}` };
}

function callbackParams(callbackUrl: string): URLSearchParams {
  const query = callbackUrl.includes('?') ? callbackUrl.slice(callbackUrl.indexOf('?') + 1) : callbackUrl;
  return new URLSearchParams(query.split('#')[0]);
}

function credentialsFrom(tokens: { accessToken: string; refreshToken?: string; expiresIn?: number }, issuedAtMs: number, previous?: Credentials): Credentials {
  if (!tokens.accessToken) throw ConnectorErrors.transient('HubSpot answered the token request without an access token; try again');
  const refreshToken = tokens.refreshToken || previous?.refreshToken;
  return {
    accessToken: tokens.accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(tokens.expiresIn ? { expiresAt: new Date(issuedAtMs + tokens.expiresIn * 1000).toISOString() } : {}),
    scope: previous?.scope ?? SCOPES.join(' '),
    extra: previous?.extra ?? {},
  };
}

/** What @hubspot/api-client throws for a non-2xx answer. */
interface ApiException {
  readonly code: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function isApiException(error: unknown): error is ApiException {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'body' in error;
}

/** @hubspot/api-client's errors → ConnectorError. Never includes tokens or secrets. */
export function oauthFailure(error: unknown, action: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (isApiException(error)) {
    const raw = typeof error.body === 'string' ? safeJson(error.body) : error.body;
    const body = HubspotErrorBody.safeParse(raw);
    const status = body.success ? body.data.status : undefined;
    const why = `${status ?? error.code}${body.success && body.data.message ? `: ${body.data.message}` : ''}`;
    if (status === 'BAD_CLIENT_ID' || status === 'BAD_CLIENT_SECRET') {
      return ConnectorErrors.validation(status === 'BAD_CLIENT_ID' ? 'clientId' : 'clientSecret', `HubSpot rejected the app's credentials while trying to ${action} (${why}); check ${envVarFor('clientId')} and ${envVarFor('clientSecret')}`);
    }
    if (status === 'BAD_REDIRECT_URI') return ConnectorErrors.validation('redirectUri', `HubSpot refused the redirect URI while trying to ${action} (${why}); it must be the one the authorization used`);
    if (error.code === 429) {
      return ConnectorErrors.rateLimited(`HubSpot throttled the request to ${action}`, retryAfterSeconds({ headers: lower(error.headers), body: raw }));
    }
    if (error.code >= 500) return ConnectorErrors.transient(`Could not ${action}: HubSpot answered ${error.code} (${why}); try again`);
    if (error.code === 404) return ConnectorErrors.notFound(`Could not ${action}: HubSpot does not know the token (${why})`);
    return ConnectorErrors.authRevoked(`HubSpot refused to ${action} (${why}); connect the HubSpot account again`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return ConnectorErrors.transient(`Could not ${action}: HubSpot's OAuth server did not answer properly (${message}); try again`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
}
