import { randomUUID } from 'node:crypto';
import { type SandboxRequest, type SandboxResponse, bearerToken, headerValue, html, json, parseForm, redirect } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { NEW_ORGANISATION, xeroConsentPage, xeroErrorPage } from './consent-page.js';
import { XeroError, XeroErrors } from './errors.js';
import { acquireXeroLimits } from './limits.js';
import { KNOWN_SCOPES, XERO_USER, type XeroApp, type XeroConnection } from './oauth.js';

function tokenJson(status: number, body: unknown): SandboxResponse {
  return json(status, body, { 'cache-control': 'no-store, no-cache, max-age=0', pragma: 'no-cache' });
}

/** Connections' dates: ISO with seven fractional digits, as Xero writes them, plus `Z` (see README). */
function connectionDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function renderConnection(state: SandboxState, connection: XeroConnection): Record<string, string> {
  return {
    id: connection.id,
    authEventId: connection.authEventId,
    tenantId: connection.tenantId,
    tenantType: 'ORGANISATION',
    tenantName: state.xero.get(connection.tenantId)?.name ?? '',
    createdDateUtc: connectionDate(connection.createdMs),
    updatedDateUtc: connectionDate(connection.updatedMs),
  };
}

function clientCredentials(request: SandboxRequest, form: URLSearchParams): { id: string | undefined; secret: string | undefined } {
  const header = headerValue(request.headers.authorization);
  if (header !== undefined && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

export interface XeroCaller {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

/** Checks `Authorization: Bearer`; throws Xero's 401 problem details when it fails. */
export function authenticateXero(state: SandboxState, request: SandboxRequest): XeroCaller {
  const token = bearerToken(request);
  if (token === undefined) throw XeroErrors.unauthorized('AuthenticationUnsuccessful');
  const check = state.xeroOAuth.checkAccessToken(token);
  if (!check.ok) {
    if (check.reason === 'expired') {
      const at = new Date(check.expiredAtMs ?? state.clock.now());
      const pad = (n: number): string => String(n).padStart(2, '0');
      const stamp = `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
      throw XeroErrors.unauthorized(`TokenExpired: token expired at ${stamp}`);
    }
    throw XeroErrors.unauthorized('AuthenticationUnsuccessful');
  }
  return { clientId: check.clientId, scopes: check.scopes };
}

export function errorResponse(error: XeroError, headers: Record<string, string> = {}): SandboxResponse {
  if (typeof error.body === 'string') return { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: error.body };
  return json(error.status, error.body, headers);
}

interface AuthorizeRequest {
  readonly app: XeroApp;
  readonly redirectUri: string;
  readonly scope: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
}

function checkAuthorize(state: SandboxState, params: URLSearchParams): AuthorizeRequest | SandboxResponse {
  const clientId = params.get('client_id') ?? '';
  const app = state.xeroOAuth.app(clientId);
  if (app === undefined) {
    return html(400, xeroErrorPage('Sorry, something went wrong', clientId === '' ? 'unauthorized_client: the request has no client_id.' : `unauthorized_client: no sandbox Xero app has client_id “${clientId}”. Check LEDGERLINK_CONNECTOR_XERO_CLIENT_ID.`));
  }
  const redirectUri = params.get('redirect_uri') ?? '';
  let target: URL | undefined;
  try {
    target = new URL(redirectUri);
  } catch {
    target = undefined;
  }
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    return html(400, xeroErrorPage('Sorry, something went wrong', `invalid_request: redirect_uri must be an absolute http(s) URL; got “${redirectUri}”.`));
  }
  const stateParam = params.get('state') ?? undefined;
  const fail = (error: string, description: string): SandboxResponse => {
    const back = new URL(redirectUri);
    back.searchParams.set('error', error);
    back.searchParams.set('error_description', description);
    if (stateParam !== undefined) back.searchParams.set('state', stateParam);
    return redirect(back.toString());
  };
  if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const scope = params.get('scope') ?? '';
  const scopes = scope.split(/\s+/).filter((s) => s !== '');
  if (scopes.length === 0) return fail('invalid_scope', 'scope is required, e.g. openid profile email offline_access accounting.contacts');
  const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
  if (unknown !== undefined) return fail('invalid_scope', `Invalid scope for client: ${unknown}`);
  return { app, redirectUri, scope, scopes, state: stateParam };
}

function isResponse(value: AuthorizeRequest | SandboxResponse): value is SandboxResponse {
  return 'status' in value;
}

/** Xero Identity (OAuth 2 + OIDC) under `/xero/identity` and the connections API under `/xero/connections`. */
export function registerXeroOAuthRoutes(router: Router, state: SandboxState, baseUrl: () => string): void {
  const issuer = (): string => `${baseUrl()}/xero/identity`;
  state.xeroOAuth.issuer = issuer;

  router.on('GET', '/xero/identity/.well-known/openid-configuration', () =>
    json(200, {
      issuer: issuer(),
      jwks_uri: `${issuer()}/.well-known/openid-configuration/jwks`,
      authorization_endpoint: `${issuer()}/connect/authorize`,
      token_endpoint: `${issuer()}/connect/token`,
      userinfo_endpoint: `${issuer()}/connect/userinfo`,
      end_session_endpoint: `${issuer()}/connect/endsession`,
      revocation_endpoint: `${issuer()}/connect/revocation`,
      introspection_endpoint: `${issuer()}/connect/introspect`,
      frontchannel_logout_supported: true,
      scopes_supported: [...KNOWN_SCOPES],
      claims_supported: ['sub', 'name', 'family_name', 'given_name', 'email', 'xero_userid', 'global_session_id'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'form_post'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['plain', 'S256'],
    }),
  );
  router.on('GET', '/xero/identity/.well-known/openid-configuration/jwks', () => json(200, state.xeroOAuth.jwks()));

  router.on('GET', '/xero/identity/connect/authorize', (request) => {
    const checked = checkAuthorize(state, request.url.searchParams);
    if (isResponse(checked)) return checked;
    return html(200, consent(state, checked));
  });

  router.on('POST', '/xero/identity/connect/authorize', (request) => {
    const form = new URLSearchParams(request.body);
    const checked = checkAuthorize(state, form);
    if (isResponse(checked)) return checked;
    const back = new URL(checked.redirectUri);
    if (form.get('decision') !== 'allow') {
      back.searchParams.set('error', 'access_denied');
      if (checked.state !== undefined) back.searchParams.set('state', checked.state);
      return redirect(back.toString());
    }
    const chosen = form.get('tenantId') ?? '';
    let tenantId: string;
    if (chosen === NEW_ORGANISATION) {
      const name = (form.get('newOrganisationName') ?? '').trim();
      if (name === '' || name.length > 100) return html(400, consent(state, checked, 'Type a name (1 to 100 characters) for the new organisation, or choose an existing one.'));
      tenantId = state.xero.createOrganisation({ name, createdMs: state.clock.now() }).tenantId;
    } else if (state.xero.get(chosen) !== undefined) {
      tenantId = chosen;
    } else {
      return html(400, consent(state, checked, 'Choose one of the organisations below.'));
    }
    const authEventId = randomUUID();
    state.xeroOAuth.connect(checked.app.clientId, tenantId, authEventId);
    const code = state.xeroOAuth.issueCode({ clientId: checked.app.clientId, redirectUri: checked.redirectUri, scopes: checked.scopes, authEventId });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', checked.scope);
    if (checked.state !== undefined) back.searchParams.set('state', checked.state);
    return redirect(back.toString());
  });

  router.on('POST', '/xero/identity/connect/token', (request) => {
    const form = parseForm(request);
    const credentials = clientCredentials(request, form);
    const app = state.xeroOAuth.authenticateClient(credentials.id, credentials.secret);
    if (app === undefined) return tokenJson(400, { error: 'invalid_client' });
    const grantType = form.get('grant_type');
    let result;
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (code === null || code === '') return tokenJson(400, { error: 'invalid_request', error_description: 'code is required' });
      result = state.xeroOAuth.exchangeCode(app, code, form.get('redirect_uri') ?? undefined);
    } else if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (refreshToken === null || refreshToken === '') return tokenJson(400, { error: 'invalid_request', error_description: 'refresh_token is required' });
      result = state.xeroOAuth.refresh(app, refreshToken);
    } else {
      return tokenJson(400, { error: 'unsupported_grant_type' });
    }
    return typeof result === 'string' ? tokenJson(400, { error: result }) : tokenJson(200, result);
  });

  router.on('POST', '/xero/identity/connect/revocation', (request) => {
    const form = parseForm(request);
    const credentials = clientCredentials(request, form);
    const app = state.xeroOAuth.authenticateClient(credentials.id, credentials.secret);
    if (app === undefined) return tokenJson(400, { error: 'invalid_client' });
    const token = form.get('token');
    if (token === null || token === '') return tokenJson(400, { error: 'invalid_request', error_description: 'token is required' });
    state.xeroOAuth.revoke(app, token);
    return { status: 200, body: undefined };
  });

  router.on('GET', '/xero/identity/connect/userinfo', (request) => {
    const token = bearerToken(request);
    const check = token === undefined ? undefined : state.xeroOAuth.checkAccessToken(token);
    if (check === undefined || !check.ok) return json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    const info: Record<string, unknown> = { sub: XERO_USER.sub, xero_userid: XERO_USER.xeroUserId };
    if (check.scopes.includes('profile')) Object.assign(info, { given_name: XERO_USER.givenName, family_name: XERO_USER.familyName, name: `${XERO_USER.givenName} ${XERO_USER.familyName}` });
    if (check.scopes.includes('email')) Object.assign(info, { email: XERO_USER.email, preferred_username: XERO_USER.email });
    return json(200, info);
  });

  const tenantless =
    (handler: (clientId: string, request: SandboxRequest) => SandboxResponse) =>
    (request: SandboxRequest): SandboxResponse => {
      try {
        const caller = authenticateXero(state, request);
        const verdict = acquireXeroLimits(state.xeroLimits, caller.clientId, undefined);
        if (!verdict.ok) {
          return errorResponse(XeroErrors.rateLimited(`The API rate limit for your application has been reached. Please try again in ${verdict.retryAfterSeconds} seconds.`), {
            ...verdict.headers,
            'Retry-After': String(verdict.retryAfterSeconds),
            'X-Rate-Limit-Problem': verdict.problem,
          });
        }
        const response = handler(caller.clientId, request);
        return { ...response, headers: { ...response.headers, ...verdict.headers } };
      } catch (error) {
        if (error instanceof XeroError) return errorResponse(error);
        throw error;
      }
    };

  router.on(
    'GET',
    '/xero/connections',
    tenantless((clientId, request) => {
      const authEventId = request.url.searchParams.get('authEventId');
      const connections = state.xeroOAuth.connectionsFor(clientId).filter((c) => authEventId === null || c.authEventId === authEventId);
      return json(200, connections.map((c) => renderConnection(state, c)));
    }),
  );
  router.on(
    'DELETE',
    '/xero/connections/:id',
    tenantless((clientId, request) => {
      const connection = state.xeroOAuth.connections.get((request.params.id ?? '').toLowerCase());
      if (connection === undefined || connection.clientId !== clientId) return { status: 404, body: undefined };
      state.xeroOAuth.connections.delete(connection.id);
      return { status: 204, body: undefined };
    }),
  );
}

function consent(state: SandboxState, request: AuthorizeRequest, error?: string): string {
  return xeroConsentPage({
    appName: request.app.name,
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope,
    state: request.state,
    organisations: state.xero.list(),
    ...(error === undefined ? {} : { error }),
  });
}
