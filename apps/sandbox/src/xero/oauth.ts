import { type KeyObject, createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import type { SandboxClock } from '../clock.js';

export const ACCESS_TOKEN_SECONDS = 1800;
/** "Unused refresh tokens expire after 60 days" (xero-api.md §7.1). */
export const REFRESH_TOKEN_SECONDS = 60 * 86_400;
export const AUTHORIZATION_CODE_SECONDS = 300;
export const ID_TOKEN_SECONDS = 300;
/** Xero documents a 30-minute grace for retrying a rotated-out refresh token (xero-api.md §7.1). */
export const REFRESH_GRACE_SECONDS = 1800;

/** Client id and secret of the app the Xero sandbox knows. */
export const SANDBOX_XERO_CLIENT_ID = 'LEDGERLINKDEVXEROCLIENT0000000001';
export const SANDBOX_XERO_CLIENT_SECRET = 'ledgerlink-dev-xero-secret-only-opens-the-loopback-sandbox';
/** The app's webhook signing key (shown in Xero's developer portal for a real app). */
export const SANDBOX_XERO_WEBHOOK_KEY = 'ledgerlink-dev-xero-webhook-key-AbCdEf0123456789';

export const KNOWN_SCOPES = new Set([
  'openid', 'profile', 'email', 'offline_access',
  'accounting.contacts', 'accounting.contacts.read',
  'accounting.transactions', 'accounting.transactions.read',
  'accounting.invoices', 'accounting.invoices.read', 'accounting.payments', 'accounting.payments.read',
  'accounting.banktransactions', 'accounting.banktransactions.read', 'accounting.manualjournals', 'accounting.manualjournals.read',
  'accounting.settings', 'accounting.settings.read', 'accounting.attachments', 'accounting.attachments.read',
  'accounting.reports.read', 'accounting.journals.read', 'accounting.budgets.read',
]);

export interface XeroApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
}

const APPS: readonly XeroApp[] = [{ clientId: SANDBOX_XERO_CLIENT_ID, clientSecret: SANDBOX_XERO_CLIENT_SECRET, name: 'Ledgerlink (development)' }];

/** The one person who signs in to the sandbox's Xero. */
export const XERO_USER = {
  sub: 'a3f1c2d4e5b6478899aabbccddeeff01',
  xeroUserId: '6b1f4e3c-2d7a-4f0e-9b85-3c2a1d0e9f47',
  givenName: 'Sam',
  familyName: 'Sandbox',
  email: 'sam.sandbox@example.com',
} as const;

/** A tenant the user connected to an app. */
export interface XeroConnection {
  readonly id: string;
  readonly clientId: string;
  readonly tenantId: string;
  authEventId: string;
  readonly createdMs: number;
  updatedMs: number;
}

interface Grant {
  readonly clientId: string;
  readonly authEventId: string;
  readonly scopes: readonly string[];
  readonly authTimeMs: number;
  readonly sessionId: string;
  revoked: boolean;
  currentRefreshToken: string;
}

interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly authEventId: string;
  readonly expiresMs: number;
  used: boolean;
  grant: Grant | undefined;
}

interface RefreshRecord {
  readonly grant: Grant;
  readonly expiresMs: number;
  supersededMs: number | undefined;
}

interface AccessRecord {
  readonly grant: Grant;
  readonly expiresMs: number;
}

export interface XeroTokenResponse {
  readonly id_token?: string;
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
  readonly refresh_token?: string;
  readonly scope: string;
}

export type XeroTokenError = 'invalid_grant';

export type XeroAccessCheck =
  | { readonly ok: true; readonly clientId: string; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked'; readonly expiredAtMs?: number };

interface SigningKey {
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, string>;
}

let signingKey: SigningKey | undefined;

function getSigningKey(): SigningKey {
  if (signingKey === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const exported = publicKey.export({ format: 'jwk' });
    const n = String(exported.n);
    const kid = createHash('sha256').update(n).digest('hex').slice(0, 32).toUpperCase();
    signingKey = { privateKey, jwk: { kty: 'RSA', use: 'sig', kid, x5t: createHash('sha1').update(n).digest('base64url'), e: String(exported.e), n, alg: 'RS256' } };
  }
  return signingKey;
}

function signJwt(payload: Record<string, unknown>): string {
  const key = getSigningKey();
  const header = { alg: 'RS256', kid: key.jwk.kid, typ: 'JWT', x5t: key.jwk.x5t };
  const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** Xero Identity in memory: codes, JWT access tokens, rotating refresh tokens, connections. */
export class XeroOAuth {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  readonly connections = new Map<string, XeroConnection>();

  /** The issuer URL (`<sandbox>/xero/identity`); set once the sandbox knows its address. */
  issuer: () => string = () => 'https://identity.xero.com';

  constructor(private readonly clock: SandboxClock) {}

  app(clientId: string): XeroApp | undefined {
    return APPS.find((app) => app.clientId === clientId);
  }

  authenticateClient(clientId: string | undefined, clientSecret: string | undefined): XeroApp | undefined {
    const app = clientId === undefined ? undefined : this.app(clientId);
    return app !== undefined && app.clientSecret === clientSecret ? app : undefined;
  }

  /** Records the consent: the tenant joins the app's connections (a reconnect bumps updatedDateUtc). */
  connect(clientId: string, tenantId: string, authEventId: string): XeroConnection {
    const now = this.clock.now();
    for (const connection of this.connections.values()) {
      if (connection.clientId === clientId && connection.tenantId === tenantId) {
        connection.updatedMs = now;
        connection.authEventId = authEventId;
        return connection;
      }
    }
    const connection: XeroConnection = { id: randomUUID(), clientId, tenantId, authEventId, createdMs: now, updatedMs: now };
    this.connections.set(connection.id, connection);
    return connection;
  }

  connectionsFor(clientId: string): XeroConnection[] {
    return [...this.connections.values()].filter((c) => c.clientId === clientId);
  }

  isConnected(clientId: string, tenantId: string): boolean {
    const key = tenantId.toLowerCase();
    return this.connectionsFor(clientId).some((c) => c.tenantId.toLowerCase() === key);
  }

  issueCode(input: { clientId: string; redirectUri: string; scopes: readonly string[]; authEventId: string }): string {
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, { ...input, expiresMs: this.clock.now() + AUTHORIZATION_CODE_SECONDS * 1000, used: false, grant: undefined });
    return code;
  }

  exchangeCode(app: XeroApp, code: string, redirectUri: string | undefined): XeroTokenResponse | XeroTokenError {
    const record = this.codes.get(code);
    if (record === undefined || record.clientId !== app.clientId || record.expiresMs <= this.clock.now()) return 'invalid_grant';
    if (record.used) {
      if (record.grant) record.grant.revoked = true;
      return 'invalid_grant';
    }
    if (redirectUri !== record.redirectUri) return 'invalid_grant';
    record.used = true;
    const grant: Grant = {
      clientId: app.clientId,
      authEventId: record.authEventId,
      scopes: record.scopes,
      authTimeMs: this.clock.now(),
      sessionId: randomBytes(16).toString('hex'),
      revoked: false,
      currentRefreshToken: '',
    };
    record.grant = grant;
    const refresh = grant.scopes.includes('offline_access') ? this.newRefreshToken(grant) : undefined;
    return this.tokenResponse(grant, refresh);
  }

  /** Rotation: a new refresh token each time; the previous one still works for the grace period. */
  refresh(app: XeroApp, refreshToken: string): XeroTokenResponse | XeroTokenError {
    const record = this.refreshTokens.get(refreshToken);
    const now = this.clock.now();
    if (record === undefined || record.grant.clientId !== app.clientId || record.grant.revoked || record.expiresMs <= now) return 'invalid_grant';
    if (record.supersededMs !== undefined) {
      if (record.supersededMs + REFRESH_GRACE_SECONDS * 1000 <= now) return 'invalid_grant';
      return this.tokenResponse(record.grant, record.grant.currentRefreshToken);
    }
    record.supersededMs = now;
    return this.tokenResponse(record.grant, this.newRefreshToken(record.grant));
  }

  /** Revoking a refresh token ends its grant and removes the app's connections (xero-api.md §7.1). */
  revoke(app: XeroApp, token: string): void {
    const grant = this.refreshTokens.get(token)?.grant ?? this.accessTokens.get(token)?.grant;
    if (grant === undefined || grant.clientId !== app.clientId) return;
    grant.revoked = true;
    for (const [id, connection] of this.connections) if (connection.clientId === app.clientId) this.connections.delete(id);
  }

  checkAccessToken(token: string): XeroAccessCheck {
    const record = this.accessTokens.get(token);
    if (record === undefined) return { ok: false, reason: 'unknown' };
    if (record.grant.revoked) return { ok: false, reason: 'revoked' };
    if (record.expiresMs <= this.clock.now()) return { ok: false, reason: 'expired', expiredAtMs: record.expiresMs };
    return { ok: true, clientId: record.grant.clientId, scopes: record.grant.scopes };
  }

  jwks(): { keys: Record<string, string>[] } {
    return { keys: [getSigningKey().jwk] };
  }

  /** Forgets connections to organisations that no longer exist (after a reset). */
  forgetTenantsExcept(tenantIds: ReadonlySet<string>): void {
    for (const [id, connection] of this.connections) if (!tenantIds.has(connection.tenantId)) this.connections.delete(id);
  }

  private newRefreshToken(grant: Grant): string {
    const token = randomBytes(32).toString('hex');
    this.refreshTokens.set(token, { grant, expiresMs: this.clock.now() + REFRESH_TOKEN_SECONDS * 1000, supersededMs: undefined });
    grant.currentRefreshToken = token;
    return token;
  }

  private tokenResponse(grant: Grant, refreshToken: string | undefined): XeroTokenResponse {
    const now = this.clock.now();
    const seconds = Math.floor(now / 1000);
    const accessToken = signJwt({
      nbf: seconds,
      exp: seconds + ACCESS_TOKEN_SECONDS,
      iss: this.issuer(),
      aud: `${this.issuer()}/resources`,
      client_id: grant.clientId,
      sub: XERO_USER.sub,
      auth_time: Math.floor(grant.authTimeMs / 1000),
      xero_userid: XERO_USER.xeroUserId,
      global_session_id: grant.sessionId,
      sid: grant.sessionId,
      jti: randomBytes(16).toString('hex'),
      authentication_event_id: grant.authEventId,
      scope: grant.scopes,
      amr: ['pwd'],
    });
    this.accessTokens.set(accessToken, { grant, expiresMs: now + ACCESS_TOKEN_SECONDS * 1000 });
    const response: XeroTokenResponse = {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      token_type: 'Bearer',
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      scope: grant.scopes.join(' '),
    };
    return grant.scopes.includes('openid') ? { id_token: this.idToken(grant), ...response } : response;
  }

  /** RS256 id_token with Xero's claims; no nonce (xero-node never sends one). */
  private idToken(grant: Grant): string {
    // Wall-clock time, not sandbox time: clients check iat/nbf/exp against their own clock, and a
    // sandbox clock moved forward (to expire access tokens) would make the token "not active yet".
    const seconds = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      nbf: seconds,
      exp: seconds + ID_TOKEN_SECONDS,
      iss: this.issuer(),
      aud: grant.clientId,
      iat: seconds,
      sid: grant.sessionId,
      sub: XERO_USER.sub,
      auth_time: Math.floor(grant.authTimeMs / 1000),
      idp: 'Xero',
      xero_userid: XERO_USER.xeroUserId,
      global_session_id: grant.sessionId,
      amr: ['pwd'],
    };
    if (grant.scopes.includes('email')) Object.assign(claims, { preferred_username: XERO_USER.email, email: XERO_USER.email });
    if (grant.scopes.includes('profile')) Object.assign(claims, { given_name: XERO_USER.givenName, family_name: XERO_USER.familyName });
    return signJwt(claims);
  }
}
