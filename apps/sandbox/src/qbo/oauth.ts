import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET } from '../connector-env.js';

/** Intuit's issuer; intuit-oauth's validateIdToken accepts no other. */
export const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1';
export const ACCESS_TOKEN_SECONDS = 3600;
export const REFRESH_TOKEN_SECONDS = 8_726_400;
export const AUTHORIZATION_CODE_SECONDS = 300;
/**
 * How long a rotated-out refresh token keeps working. Intuit allows 24 hours; the sandbox is
 * stricter on purpose so a connector that forgets to store the newest refresh token fails in
 * development rather than a day later in production. Long enough to absorb two racing refreshes.
 */
export const REFRESH_GRACE_SECONDS = 120;

export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';
const REALM_SCOPES = new Set([ACCOUNTING_SCOPE, 'com.intuit.quickbooks.payment']);
export const KNOWN_SCOPES = new Set([
  ...REALM_SCOPES,
  'openid', 'profile', 'email', 'phone', 'address',
  'com.intuit.quickbooks.payroll', 'com.intuit.quickbooks.payroll.timetracking', 'com.intuit.quickbooks.payroll.benefits',
  'payroll.compensation.read', 'project-management.project', 'app-foundations.custom-dimensions.read',
  'app-foundations.custom-field-definitions', 'time-tracking.time-entry', 'indirect-tax.tax-calculation.quickbooks',
]);

export interface OAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
}

const APPS: readonly OAuthApp[] = [{ clientId: SANDBOX_QBO_CLIENT_ID, clientSecret: SANDBOX_QBO_CLIENT_SECRET, name: 'Ledgerlink (development)' }];

/** The one person who "signs in" to the sandbox's Intuit account. */
export const SANDBOX_USER = {
  sub: '5f1e9a6c-2b7d-4c1e-9a34-7d8b0c2e6f10',
  givenName: 'Sam',
  familyName: 'Sandbox',
  email: 'sam.sandbox@example.com',
  phoneNumber: '+1 650-555-0100',
} as const;

/** One authorization: a user consented for one app and (for accounting scopes) one company. */
interface Grant {
  readonly clientId: string;
  readonly realmId: string | undefined;
  readonly scopes: readonly string[];
  readonly authTimeMs: number;
  revoked: boolean;
  currentRefreshToken: string;
}

interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly realmId: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresMs: number;
  used: boolean;
  grant: Grant | undefined;
}

interface RefreshRecord {
  readonly grant: Grant;
  readonly expiresMs: number;
  /** Set when a newer refresh token replaced this one; it then works until the grace ends. */
  supersededMs: number | undefined;
}

interface AccessRecord {
  readonly grant: Grant;
  readonly expiresMs: number;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly x_refresh_token_expires_in: number;
  readonly id_token?: string;
}

export type TokenError = 'invalid_grant' | 'invalid_request' | 'unsupported_grant_type';

export type AccessCheck =
  | { readonly ok: true; readonly realmId: string | undefined; readonly scopes: readonly string[] }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'revoked' };

interface SigningKey {
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, string>;
}

let signingKey: SigningKey | undefined;

/** One RSA key per process, made on first use (id_tokens are rare; key generation is not free). */
function getSigningKey(): SigningKey {
  if (signingKey === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const exported = publicKey.export({ format: 'jwk' });
    const n = String(exported.n);
    const kid = createHash('sha256').update(n).digest('base64url').slice(0, 16);
    signingKey = { privateKey, jwk: { kty: 'RSA', e: String(exported.e), use: 'sig', kid, alg: 'RS256', n } };
  }
  return signingKey;
}

function opaque(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** Intuit's OAuth 2.0 server, in memory: codes, rotating refresh tokens, bearer access tokens. */
export class QboOAuth {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();

  constructor(private readonly clock: SandboxClock) {}

  app(clientId: string): OAuthApp | undefined {
    return APPS.find((app) => app.clientId === clientId);
  }

  /** The app whose id and secret these are (HTTP Basic or client_secret_post), or undefined. */
  authenticateClient(clientId: string | undefined, clientSecret: string | undefined): OAuthApp | undefined {
    const app = clientId === undefined ? undefined : this.app(clientId);
    return app !== undefined && app.clientSecret === clientSecret ? app : undefined;
  }

  /** Whether the scopes need a company (realm) to be chosen on the consent page. */
  needsRealm(scopes: readonly string[]): boolean {
    return scopes.some((scope) => REALM_SCOPES.has(scope));
  }

  issueCode(input: { clientId: string; redirectUri: string; realmId: string | undefined; scopes: readonly string[] }): string {
    const code = opaque('AB11', 30);
    this.codes.set(code, { ...input, expiresMs: this.clock.now() + AUTHORIZATION_CODE_SECONDS * 1000, used: false, grant: undefined });
    return code;
  }

  /** `grant_type=authorization_code`. A code works once; reusing it also revokes what it issued. */
  exchangeCode(app: OAuthApp, code: string, redirectUri: string | undefined): TokenResponse | TokenError {
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
      realmId: record.realmId,
      scopes: record.scopes,
      authTimeMs: this.clock.now(),
      revoked: false,
      currentRefreshToken: '',
    };
    record.grant = grant;
    const refreshToken = this.newRefreshToken(grant);
    const response = this.tokenResponse(grant, refreshToken);
    return grant.scopes.includes('openid') ? { ...response, id_token: this.idToken(grant, app.clientId) } : response;
  }

  /**
   * `grant_type=refresh_token`. The current refresh token rotates (a new one is issued, the old
   * one keeps working for REFRESH_GRACE_SECONDS); a superseded one inside its grace gets a fresh
   * access token and the current refresh token back; anything else is invalid_grant.
   */
  refresh(app: OAuthApp, refreshToken: string): TokenResponse | TokenError {
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

  /** Revokes the whole authorization the token (access or refresh) belongs to. */
  revoke(token: string): boolean {
    const grant = this.refreshTokens.get(token)?.grant ?? this.accessTokens.get(token)?.grant;
    if (grant === undefined) return false;
    grant.revoked = true;
    return true;
  }

  checkAccessToken(token: string): AccessCheck {
    const record = this.accessTokens.get(token);
    if (record === undefined) return { ok: false, reason: 'unknown' };
    if (record.grant.revoked) return { ok: false, reason: 'revoked' };
    if (record.expiresMs <= this.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, realmId: record.grant.realmId, scopes: record.grant.scopes };
  }

  jwks(): { keys: Record<string, string>[] } {
    return { keys: [getSigningKey().jwk] };
  }

  /** Forgets every authorization for companies that no longer exist (after a reset). */
  forgetRealmsExcept(realmIds: ReadonlySet<string>): void {
    const gone = (grant: Grant): boolean => grant.realmId !== undefined && !realmIds.has(grant.realmId);
    for (const [key, record] of this.refreshTokens) if (gone(record.grant)) this.refreshTokens.delete(key);
    for (const [key, record] of this.accessTokens) if (gone(record.grant)) this.accessTokens.delete(key);
    for (const [key, record] of this.codes) if (record.realmId !== undefined && !realmIds.has(record.realmId)) this.codes.delete(key);
  }

  private newRefreshToken(grant: Grant): string {
    const token = opaque('AB11', 36);
    this.refreshTokens.set(token, { grant, expiresMs: this.clock.now() + REFRESH_TOKEN_SECONDS * 1000, supersededMs: undefined });
    grant.currentRefreshToken = token;
    return token;
  }

  private tokenResponse(grant: Grant, refreshToken: string): TokenResponse {
    const now = this.clock.now();
    // Shaped like Intuit's (a long JWE-looking string), so storage that truncates tokens fails here too.
    const accessToken = opaque('eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..', 600);
    this.accessTokens.set(accessToken, { grant, expiresMs: now + ACCESS_TOKEN_SECONDS * 1000 });
    const refreshExpires = this.refreshTokens.get(refreshToken)?.expiresMs ?? now;
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      // Whole seconds left, rounded: a token issued a moment ago still reports its full 100 days.
      x_refresh_token_expires_in: Math.max(0, Math.round((refreshExpires - now) / 1000)),
    };
  }

  /** An OpenID Connect id_token, RS256, with the claims Intuit sends. */
  private idToken(grant: Grant, clientId: string): string {
    const key = getSigningKey();
    const iat = Math.floor(this.clock.now() / 1000);
    const header = { kid: key.jwk.kid, alg: 'RS256' };
    const payload: Record<string, unknown> = {
      sub: SANDBOX_USER.sub,
      aud: [clientId],
      auth_time: Math.floor(grant.authTimeMs / 1000),
      iss: INTUIT_ISSUER,
      exp: iat + 3600,
      iat,
    };
    if (grant.realmId !== undefined) payload.realmid = grant.realmId;
    const encode = (part: object): string => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}
