import { randomUUID } from 'node:crypto';
import { type SandboxRequest, type SandboxResponse, bearerToken, headerValue, html, json, parseForm, redirect } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { NEW_COMPANY, consentPage, oauthErrorPage } from './consent-page.js';
import { INTUIT_ISSUER, KNOWN_SCOPES, type OAuthApp, SANDBOX_USER } from './oauth.js';

/** Intuit's transaction id header, e.g. `1-6a8b3f12-4d0c2b1e9f7a6c5d4e3b2a19`. */
export function intuitTid(): string {
  const hex = randomUUID().replace(/-/g, '');
  return `1-${hex.slice(0, 8)}-${hex.slice(8, 32)}`;
}

function tokenJson(status: number, body: unknown, extra: Record<string, string> = {}): SandboxResponse {
  return json(status, body, { intuit_tid: intuitTid(), 'cache-control': 'no-store', pragma: 'no-cache', ...extra });
}

interface AuthorizeRequest {
  readonly app: OAuthApp;
  readonly redirectUri: string;
  readonly scope: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
}

/** Checks an authorization request; answers with an error page or an error redirect when it is bad. */
function checkAuthorizeRequest(state: SandboxState, params: URLSearchParams): AuthorizeRequest | SandboxResponse {
  const clientId = params.get('client_id') ?? '';
  const app = state.qboOAuth.app(clientId);
  if (app === undefined) {
    return html(
      400,
      oauthErrorPage(
        'This app is not registered',
        clientId === ''
          ? 'The request has no client_id. Add client_id=<your app’s client id> to the authorization URL.'
          : `No sandbox app has client_id “${clientId}”. The sandbox knows the Ledgerlink development app (client_id ledgerlink-dev-client); check LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID.`,
      ),
    );
  }
  const redirectUri = params.get('redirect_uri') ?? '';
  let target: URL | undefined;
  try {
    target = new URL(redirectUri);
  } catch {
    target = undefined;
  }
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    return html(
      400,
      oauthErrorPage('The redirect URL is not valid', `redirect_uri must be an absolute http(s) URL; got “${redirectUri}”.`),
    );
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
  if (scopes.length === 0) return fail('invalid_scope', 'scope is required, e.g. com.intuit.quickbooks.accounting');
  const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
  if (unknown !== undefined) return fail('invalid_scope', `Unknown scope ${unknown}`);
  return { app, redirectUri, scope, scopes, state: stateParam };
}

function isResponse(value: AuthorizeRequest | SandboxResponse): value is SandboxResponse {
  return 'status' in value;
}

/** Client credentials from HTTP Basic auth, else from the form (client_secret_post). */
function clientCredentials(request: SandboxRequest, form: URLSearchParams): { id: string | undefined; secret: string | undefined } {
  const header = headerValue(request.headers.authorization);
  if (header !== undefined && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/** Intuit's OAuth 2.0 and OpenID Connect endpoints, under `/qbo`. */
export function registerQboOAuthRoutes(router: Router, state: SandboxState, baseUrl: () => string): void {
  router.on('GET', '/qbo/connect/oauth2', (request) => {
    const checked = checkAuthorizeRequest(state, request.url.searchParams);
    if (isResponse(checked)) return checked;
    return html(200, renderConsent(state, checked));
  });

  router.on('POST', '/qbo/connect/oauth2', (request) => {
    const form = new URLSearchParams(request.body);
    const checked = checkAuthorizeRequest(state, form);
    if (isResponse(checked)) return checked;
    const back = new URL(checked.redirectUri);
    if (checked.state !== undefined) back.searchParams.set('state', checked.state);
    if (form.get('decision') !== 'allow') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user did not connect the app');
      return redirect(back.toString());
    }
    let realmId: string | undefined;
    if (state.qboOAuth.needsRealm(checked.scopes)) {
      const chosen = form.get('realmId') ?? '';
      if (chosen === NEW_COMPANY) {
        const name = (form.get('newCompanyName') ?? '').trim();
        if (name === '' || name.length > 100) {
          return html(400, renderConsent(state, checked, 'Type a name (1 to 100 characters) for the new sandbox company, or choose an existing one.'));
        }
        realmId = state.qbo.createCompany({ name, createdMs: state.clock.now() }).realmId;
      } else if (state.qbo.get(chosen) !== undefined) {
        realmId = chosen;
      } else {
        return html(400, renderConsent(state, checked, 'Choose one of the companies below.'));
      }
    }
    const code = state.qboOAuth.issueCode({ clientId: checked.app.clientId, redirectUri: checked.redirectUri, realmId, scopes: checked.scopes });
    back.searchParams.set('code', code);
    if (realmId !== undefined) back.searchParams.set('realmId', realmId);
    return redirect(back.toString());
  });

  router.on('POST', '/qbo/oauth2/v1/tokens/bearer', (request) => {
    const form = parseForm(request);
    const credentials = clientCredentials(request, form);
    const app = state.qboOAuth.authenticateClient(credentials.id, credentials.secret);
    if (app === undefined) return tokenJson(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="Intuit"' });
    const grantType = form.get('grant_type');
    let result;
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (code === null || code === '') return tokenJson(400, { error: 'invalid_request', error_description: 'code is required' });
      result = state.qboOAuth.exchangeCode(app, code, form.get('redirect_uri') ?? undefined);
    } else if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (refreshToken === null || refreshToken === '') return tokenJson(400, { error: 'invalid_request', error_description: 'refresh_token is required' });
      result = state.qboOAuth.refresh(app, refreshToken);
    } else {
      return tokenJson(400, { error: 'unsupported_grant_type' });
    }
    return typeof result === 'string' ? tokenJson(400, { error: result }) : tokenJson(200, result);
  });

  router.on('POST', '/qbo/v2/oauth2/tokens/revoke', (request) => {
    const form = parseForm(request);
    const credentials = clientCredentials(request, form);
    if (state.qboOAuth.authenticateClient(credentials.id, credentials.secret) === undefined) {
      return tokenJson(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="Intuit"' });
    }
    const token = form.get('token');
    if (token === null || token === '') return tokenJson(400, { error: 'invalid_request', error_description: 'token is required' });
    state.qboOAuth.revoke(token);
    return { status: 200, headers: { intuit_tid: intuitTid() }, body: undefined };
  });

  router.on('GET', '/qbo/v1/openid_connect/userinfo', (request) => {
    const token = bearerToken(request);
    const check = token === undefined ? undefined : state.qboOAuth.checkAccessToken(token);
    if (check === undefined || !check.ok) return tokenJson(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    if (!check.scopes.includes('openid')) return tokenJson(403, { error: 'insufficient_scope', error_description: 'userinfo needs the openid scope' });
    const info: Record<string, unknown> = { sub: SANDBOX_USER.sub };
    if (check.scopes.includes('profile')) Object.assign(info, { givenName: SANDBOX_USER.givenName, familyName: SANDBOX_USER.familyName });
    if (check.scopes.includes('email')) Object.assign(info, { email: SANDBOX_USER.email, emailVerified: true });
    if (check.scopes.includes('phone')) Object.assign(info, { phoneNumber: SANDBOX_USER.phoneNumber, phoneNumberVerified: true });
    return tokenJson(200, info);
  });

  router.on('GET', '/qbo/op/v1/jwks', () => json(200, state.qboOAuth.jwks()));

  const discovery = (): SandboxResponse => {
    const base = baseUrl();
    return json(200, {
      issuer: INTUIT_ISSUER,
      authorization_endpoint: `${base}/qbo/connect/oauth2`,
      token_endpoint: `${base}/qbo/oauth2/v1/tokens/bearer`,
      userinfo_endpoint: `${base}/qbo/v1/openid_connect/userinfo`,
      revocation_endpoint: `${base}/qbo/v2/oauth2/tokens/revoke`,
      jwks_uri: `${base}/qbo/op/v1/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', 'address', 'phone'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
    });
  };
  router.on('GET', '/qbo/.well-known/openid-configuration', discovery);
  router.on('GET', '/qbo/.well-known/openid_sandbox_configuration', discovery);
}

function renderConsent(state: SandboxState, request: AuthorizeRequest, error?: string): string {
  return consentPage({
    appName: request.app.name,
    clientId: request.app.clientId,
    redirectUri: request.redirectUri,
    scope: request.scope,
    state: request.state,
    needsRealm: state.qboOAuth.needsRealm(request.scopes),
    companies: state.qbo.list(),
    ...(error === undefined ? {} : { error }),
  });
}
