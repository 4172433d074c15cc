import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxClock } from '../clock.js';
import { SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET } from '../connector-env.js';

/** The OAuth app the HubSpot sandbox knows (Ledgerlink in development). */
export interface HubspotApp {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly appId: number;
  readonly name: string;
}

export const SANDBOX_HUBSPOT_APP: HubspotApp = {
  clientId: SANDBOX_HUBSPOT_CLIENT_ID,
  clientSecret: SANDBOX_HUBSPOT_CLIENT_SECRET,
  appId: 3_141_592,
  name: 'Ledgerlink (development)',
};

/** The developer account's API key (`hapikey`), which HubSpot's Webhooks API v3 takes. A development secret for the loopback sandbox. */
export const SANDBOX_HUBSPOT_DEVELOPER_API_KEY = 'dev-hapikey-5a4d1e2c-0000-4000-8000-ledgerlink01';

/** The person who "logs in" on the authorize page. */
export const SANDBOX_HUBSPOT_USER = { id: 71_000_001, email: 'dev@ledgerlink.example' } as const;

/** HubSpot access tokens live 30 minutes; refresh tokens do not expire and are not rotated. */
export const ACCESS_TOKEN_SECONDS = 1800;
/** Authorization codes are single-use; HubSpot does not publish a lifetime, the sandbox uses 10 minutes. */
const CODE_SECONDS = 600;

/** Scopes the authorize page accepts (HubSpot's CRM object scopes plus `oauth`). */
export const HUBSPOT_SCOPES = new Set([
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
]);

/** What a token grants. Private-app tokens grant every scope. */
export interface TokenGrant {
  readonly portalId: number;
  readonly kind: 'private-app' | 'oauth';
  readonly appId: number;
  readonly scopes: readonly string[] | 'all';
}

interface CodeRecord {
  readonly clientId: string;
  readonly portalId: number;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

interface RefreshRecord {
  readonly clientId: string;
  readonly portalId: number;
  readonly scopes: readonly string[];
}

interface AccessRecord extends RefreshRecord {
  readonly refreshToken: string;
  readonly expiresAt: number;
}

export interface TokenSet {
  readonly token_type: 'bearer';
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
}

/** A refused token request, in HubSpot's `{status, message}` error shape. */
export interface TokenError {
  readonly status: 'BAD_CLIENT_ID' | 'BAD_CLIENT_SECRET' | 'BAD_AUTH_CODE' | 'BAD_REDIRECT_URI' | 'BAD_REFRESH_TOKEN' | 'BAD_GRANT_TYPE';
  readonly message: string;
}

export type AccessCheck = { ok: true; grant: TokenGrant } | { ok: false; reason: 'unknown' } | { ok: false; reason: 'expired'; minutesAgo: number };

/** HubSpot's OAuth 2 server: codes, access tokens (1800 s) and long-lived refresh tokens. */
export class HubspotOAuth {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(private readonly clock: SandboxClock) {}

  app(clientId: string): HubspotApp | undefined {
    return clientId === SANDBOX_HUBSPOT_APP.clientId ? SANDBOX_HUBSPOT_APP : undefined;
  }

  issueCode(input: { clientId: string; portalId: number; redirectUri: string; scopes: readonly string[] }): string {
    const code = randomUUID();
    this.codes.set(code, { ...input, expiresAt: this.clock.now() + CODE_SECONDS * 1000 });
    return code;
  }

  private checkClient(clientId: string | undefined, clientSecret: string | undefined): TokenError | undefined {
    const app = this.app(clientId ?? '');
    if (app === undefined) return { status: 'BAD_CLIENT_ID', message: 'missing or invalid client_id' };
    if (clientSecret !== app.clientSecret) return { status: 'BAD_CLIENT_SECRET', message: 'missing or invalid client_secret' };
    return undefined;
  }

  exchangeCode(input: { clientId?: string | undefined; clientSecret?: string | undefined; code?: string | undefined; redirectUri?: string | undefined }): TokenSet | TokenError {
    const bad = this.checkClient(input.clientId, input.clientSecret);
    if (bad !== undefined) return bad;
    const record = this.codes.get(input.code ?? '');
    if (record === undefined || record.clientId !== input.clientId || record.expiresAt <= this.clock.now()) {
      return { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' };
    }
    if (record.redirectUri !== input.redirectUri) return { status: 'BAD_REDIRECT_URI', message: 'redirect_uri does not match initial auth code URL' };
    this.codes.delete(input.code ?? '');
    const refreshToken = `na1-${randomBytes(2).toString('hex')}-${randomUUID()}`;
    this.refreshTokens.set(refreshToken, { clientId: record.clientId, portalId: record.portalId, scopes: record.scopes });
    return this.issueAccess(refreshToken);
  }

  refresh(input: { clientId?: string | undefined; clientSecret?: string | undefined; refreshToken?: string | undefined }): TokenSet | TokenError {
    const bad = this.checkClient(input.clientId, input.clientSecret);
    if (bad !== undefined) return bad;
    const record = this.refreshTokens.get(input.refreshToken ?? '');
    if (record === undefined || record.clientId !== input.clientId) return { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' };
    return this.issueAccess(input.refreshToken ?? '');
  }

  private issueAccess(refreshToken: string): TokenSet {
    const record = this.refreshTokens.get(refreshToken);
    if (record === undefined) throw new Error('refresh token vanished');
    const accessToken = `CO${randomBytes(48).toString('base64url')}`;
    this.access.set(accessToken, { ...record, refreshToken, expiresAt: this.clock.now() + ACCESS_TOKEN_SECONDS * 1000 });
    return { token_type: 'bearer', access_token: accessToken, refresh_token: refreshToken, expires_in: ACCESS_TOKEN_SECONDS };
  }

  checkAccessToken(token: string): AccessCheck {
    const record = this.access.get(token);
    if (record === undefined || !this.refreshTokens.has(record.refreshToken)) return { ok: false, reason: 'unknown' };
    const left = record.expiresAt - this.clock.now();
    if (left <= 0) return { ok: false, reason: 'expired', minutesAgo: Math.floor(-left / 60_000) };
    return { ok: true, grant: { portalId: record.portalId, kind: 'oauth', appId: SANDBOX_HUBSPOT_APP.appId, scopes: record.scopes } };
  }

  /** `GET /oauth/v1/access-tokens/:token` data, or undefined for unknown or expired tokens. */
  accessTokenInfo(token: string): { portalId: number; scopes: readonly string[]; expiresIn: number } | undefined {
    const record = this.access.get(token);
    if (record === undefined || !this.refreshTokens.has(record.refreshToken)) return undefined;
    const expiresIn = Math.floor((record.expiresAt - this.clock.now()) / 1000);
    return expiresIn <= 0 ? undefined : { portalId: record.portalId, scopes: record.scopes, expiresIn };
  }

  refreshTokenInfo(token: string): { portalId: number; scopes: readonly string[]; clientId: string } | undefined {
    const record = this.refreshTokens.get(token);
    return record === undefined ? undefined : { portalId: record.portalId, scopes: record.scopes, clientId: record.clientId };
  }

  /** `DELETE /oauth/v1/refresh-tokens/:token`: the refresh token and its access tokens stop working. */
  revokeRefreshToken(token: string): boolean {
    return this.refreshTokens.delete(token);
  }

  /** After a reset: drops grants for portals that no longer exist. */
  forgetPortalsExcept(portalIds: ReadonlySet<number>): void {
    for (const [token, record] of this.refreshTokens) if (!portalIds.has(record.portalId)) this.refreshTokens.delete(token);
    for (const [token, record] of this.access) if (!portalIds.has(record.portalId)) this.access.delete(token);
    for (const [code, record] of this.codes) if (!portalIds.has(record.portalId)) this.codes.delete(code);
  }
}
