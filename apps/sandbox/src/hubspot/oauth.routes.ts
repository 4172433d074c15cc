import { type SandboxResponse, html, json, parseForm, redirect } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { authorizeErrorPage, authorizePage } from './authorize-page.js';
import { correlationId } from './errors.js';
import { HUBSPOT_SCOPES, SANDBOX_HUBSPOT_APP, SANDBOX_HUBSPOT_USER, type TokenError } from './oauth.js';

interface AuthorizeRequest {
  readonly redirectUri: string;
  readonly scope: string;
  readonly scopes: readonly string[];
  readonly optionalScope: string | undefined;
  readonly state: string | undefined;
}

function checkAuthorize(params: URLSearchParams): AuthorizeRequest | SandboxResponse {
  const clientId = params.get('client_id') ?? '';
  if (clientId !== SANDBOX_HUBSPOT_APP.clientId) {
    return html(
      400,
      authorizeErrorPage(
        'Authorization failed because this application is misconfigured',
        clientId === ''
          ? 'The request has no client_id. Add client_id=<your app’s client id> to the authorize URL.'
          : `No sandbox app has client_id “${clientId}”. The sandbox knows ${SANDBOX_HUBSPOT_APP.clientId}; check LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID.`,
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
    return html(400, authorizeErrorPage('The redirect URL is not valid', `redirect_uri must be an absolute http(s) URL; got “${redirectUri}”.`));
  }
  const scope = params.get('scope') ?? '';
  const optional = params.get('optional_scope') ?? undefined;
  const scopes = [...scope.split(/[\s+]+/), ...(optional ?? '').split(/[\s+]+/)].filter((s) => s !== '');
  if (scope.trim() === '') return html(400, authorizeErrorPage('Scopes are missing', 'scope is required, e.g. oauth crm.objects.contacts.read crm.objects.contacts.write'));
  const unknown = scopes.find((s) => !HUBSPOT_SCOPES.has(s));
  if (unknown !== undefined) {
    return html(400, authorizeErrorPage('Unknown scope', `The sandbox does not know the scope “${unknown}”. It knows: ${[...HUBSPOT_SCOPES].join(', ')}.`));
  }
  return { redirectUri, scope, scopes, optionalScope: optional, state: params.get('state') ?? undefined };
}

function isResponse(value: AuthorizeRequest | SandboxResponse): value is SandboxResponse {
  return 'status' in value;
}

function tokenError(error: TokenError): SandboxResponse {
  return json(400, { status: error.status, message: error.message, correlationId: correlationId() });
}

/** HubSpot's OAuth 2 endpoints: the install page (app.hubspot.com/oauth/authorize) and api.hubapi.com/oauth/v1/…. */
export function registerHubspotOAuthRoutes(router: Router, state: SandboxState): void {
  const hub = state.hubspot;
  const render = (request: AuthorizeRequest, error?: string): string =>
    authorizePage({
      appName: SANDBOX_HUBSPOT_APP.name,
      clientId: SANDBOX_HUBSPOT_APP.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      optionalScope: request.optionalScope,
      state: request.state,
      portals: hub.store.list(),
      userEmail: SANDBOX_HUBSPOT_USER.email,
      ...(error === undefined ? {} : { error }),
    });

  router.on('GET', '/hubspot/oauth/authorize', (request) => {
    const checked = checkAuthorize(request.url.searchParams);
    return isResponse(checked) ? checked : html(200, render(checked));
  });

  router.on('POST', '/hubspot/oauth/authorize', (request) => {
    const form = new URLSearchParams(request.body);
    const checked = checkAuthorize(form);
    if (isResponse(checked)) return checked;
    const back = new URL(checked.redirectUri);
    if (form.get('decision') !== 'allow') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user did not install the app');
      if (checked.state !== undefined) back.searchParams.set('state', checked.state);
      return redirect(back.toString());
    }
    const portal = hub.store.get(Number(form.get('portalId') ?? ''));
    if (portal === undefined) return html(400, render(checked, 'Choose one of the accounts below.'));
    back.searchParams.set('code', hub.oauth.issueCode({ clientId: SANDBOX_HUBSPOT_APP.clientId, portalId: portal.portalId, redirectUri: checked.redirectUri, scopes: checked.scopes }));
    if (checked.state !== undefined) back.searchParams.set('state', checked.state);
    return redirect(back.toString());
  });

  router.on('POST', '/hubspot/oauth/v1/token', (request) => {
    const form = parseForm(request);
    const grantType = form.get('grant_type');
    const client = { clientId: form.get('client_id') ?? undefined, clientSecret: form.get('client_secret') ?? undefined };
    let result;
    if (grantType === 'authorization_code') {
      result = hub.oauth.exchangeCode({ ...client, code: form.get('code') ?? undefined, redirectUri: form.get('redirect_uri') ?? undefined });
    } else if (grantType === 'refresh_token') {
      result = hub.oauth.refresh({ ...client, refreshToken: form.get('refresh_token') ?? undefined });
    } else {
      return tokenError({ status: 'BAD_GRANT_TYPE', message: 'grant_type must be authorization_code or refresh_token' });
    }
    return 'status' in result ? tokenError(result) : json(200, result, { 'cache-control': 'no-store' });
  });

  router.on('GET', '/hubspot/oauth/v1/access-tokens/:token', (request) => {
    const token = request.params.token ?? '';
    const info = hub.oauth.accessTokenInfo(token);
    const portal = info === undefined ? undefined : hub.store.get(info.portalId);
    if (info === undefined || portal === undefined) {
      return json(404, { status: 'error', message: 'Token not found or expired', correlationId: correlationId(), category: 'OBJECT_NOT_FOUND' });
    }
    return json(200, {
      token,
      user: SANDBOX_HUBSPOT_USER.email,
      hub_domain: portal.domain,
      scopes: info.scopes,
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: portal.portalId,
      app_id: SANDBOX_HUBSPOT_APP.appId,
      expires_in: info.expiresIn,
      user_id: SANDBOX_HUBSPOT_USER.id,
      token_type: 'access',
    });
  });

  router.on('GET', '/hubspot/oauth/v1/refresh-tokens/:token', (request) => {
    const token = request.params.token ?? '';
    const info = hub.oauth.refreshTokenInfo(token);
    const portal = info === undefined ? undefined : hub.store.get(info.portalId);
    if (info === undefined || portal === undefined) {
      return json(404, { status: 'error', message: 'Token not found', correlationId: correlationId(), category: 'OBJECT_NOT_FOUND' });
    }
    return json(200, {
      token,
      user: SANDBOX_HUBSPOT_USER.email,
      hub_domain: portal.domain,
      scopes: info.scopes,
      hub_id: portal.portalId,
      client_id: info.clientId,
      user_id: SANDBOX_HUBSPOT_USER.id,
      token_type: 'refresh',
    });
  });

  router.on('DELETE', '/hubspot/oauth/v1/refresh-tokens/:token', (request) => {
    if (!hub.oauth.revokeRefreshToken(request.params.token ?? '')) {
      return json(404, { status: 'error', message: 'Token not found', correlationId: correlationId(), category: 'OBJECT_NOT_FOUND' });
    }
    return { status: 204 };
  });
}
