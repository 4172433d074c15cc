import { Inject, Injectable } from '@nestjs/common';
import type { SessionInfo, WorkspaceMembership } from '@ledgerlink/contract';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { randomToken, sha256Hex } from '../common/hashing.js';
import { hashPassword, verifyPassword } from './password.js';
import { AuthRepository, type SessionRecord } from './auth.repository.js';
import { RedisStore } from '../queue/redis-store.service.js';

/** Failed sign-ins allowed per e-mail and per client address within the window. */
export const LOGIN_LIMITS = { perEmail: 5, perIp: 20, windowMs: 15 * 60 * 1000 } as const;
import type { AuthContext } from './auth.context.js';

export const SESSION_COOKIE = 'll_session';
/** Readable by the console's scripts (not HttpOnly): its value goes back as X-CSRF-Token. */
export const CSRF_COOKIE = 'll_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The CSRF token of a session: derived from the session's secret cookie, so it needs no storage. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256Hex(`ll-csrf:${sessionToken}`);
}
export const SESSION_TTL_SECONDS = 14 * 24 * 60 * 60;

let dummyHash: Promise<string> | undefined;

@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counters: RedisStore,
  ) {}

  /** Checks the password and opens a session. Returns the cookie token (shown once) and who signed in. */
  async login(email: string, password: string, clientAddress = 'unknown'): Promise<{ token: string; session: SessionInfo }> {
    // Failed attempts are counted in Redis, so every API process sees the same counts.
    const emailKey = `login-failures:email:${sha256Hex(email.trim().toLowerCase())}`;
    const ipKey = `login-failures:ip:${clientAddress}`;
    const [byEmail, byIp] = await Promise.all([this.counters.peek(emailKey), this.counters.peek(ipKey)]);
    if (byEmail.count >= LOGIN_LIMITS.perEmail) {
      throw ApiErrors.tooManyRequests(
        `Too many failed sign-ins for this e-mail (${LOGIN_LIMITS.perEmail} in ${LOGIN_LIMITS.windowMs / 60_000} minutes): wait ${waitText(byEmail.resetsInMs)} and try again, or ask an owner to reset the password.`,
        byEmail.resetsInMs / 1000,
      );
    }
    if (byIp.count >= LOGIN_LIMITS.perIp) {
      throw ApiErrors.tooManyRequests(
        `Too many failed sign-ins from this address (${LOGIN_LIMITS.perIp} in ${LOGIN_LIMITS.windowMs / 60_000} minutes): wait ${waitText(byIp.resetsInMs)} and try again.`,
        byIp.resetsInMs / 1000,
      );
    }
    const candidate = await this.repository.findLoginCandidate(email);
    // Same work for unknown emails, so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, candidate?.passwordHash ?? (await (dummyHash ??= hashPassword(randomToken(12)))));
    if (!candidate || !ok) {
      await Promise.all([this.counters.hit(emailKey, LOGIN_LIMITS.windowMs), this.counters.hit(ipKey, LOGIN_LIMITS.windowMs)]);
      throw ApiErrors.unauthorized('The email or password is not right.');
    }
    await this.counters.reset(emailKey);
    if (!candidate.workspaceId) throw ApiErrors.forbidden('This account is not a member of any workspace: ask an owner to invite you.');
    const token = randomToken();
    const now = new Date();
    await this.repository.deleteExpiredSessions(candidate.userId, now);
    await this.repository.createSession({
      id: sha256Hex(token),
      userId: candidate.userId,
      workspaceId: candidate.workspaceId,
      expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
    });
    const record = await this.repository.findSession(sha256Hex(token));
    if (!record) throw new Error('session vanished right after it was created');
    return { token, session: { ...toSessionInfo(record), csrfToken: csrfTokenFor(token) } };
  }

  /** The session behind a cookie token, or null when missing, unknown or expired. */
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (!token || token.length > 200) return null;
    const record = await this.repository.findSession(sha256Hex(token));
    if (!record) return null;
    if (record.expiresAt.getTime() <= Date.now()) {
      await this.repository.deleteSession(record.sessionId);
      return null;
    }
    const { expiresAt: _expiresAt, ...context } = record;
    return { ...context, via: 'session', csrfToken: csrfTokenFor(token) };
  }

  async logout(context: AuthContext): Promise<void> {
    await this.repository.deleteSession(context.sessionId);
  }

  async workspaces(context: AuthContext): Promise<WorkspaceMembership[]> {
    if (context.via === 'api_key') return [{ id: context.workspaceId, name: context.workspaceName, role: context.role, current: true }];
    return (await this.repository.memberships(context.userId)).map((m) => ({ id: m.workspaceId, name: m.name, role: m.role, current: m.workspaceId === context.workspaceId }));
  }

  /** Moves a console session to another workspace of the same person (404 when not a member). */
  async switchWorkspace(context: AuthContext, workspaceId: string): Promise<SessionInfo> {
    if (context.via !== 'session') throw ApiErrors.forbidden('An API key belongs to one workspace: create a key in the other workspace instead.');
    if (!(await this.repository.moveSession(context.sessionId, context.userId, workspaceId))) throw ApiErrors.notFound(`Workspace ${workspaceId}`);
    const record = await this.repository.findSession(context.sessionId);
    if (!record) throw ApiErrors.unauthorized('The session ended: sign in again.');
    return { ...toSessionInfo(record), ...(context.csrfToken ? { csrfToken: context.csrfToken } : {}) };
  }

  sessionInfo(context: AuthContext): SessionInfo {
    return { ...toSessionInfo(context), ...(context.csrfToken ? { csrfToken: context.csrfToken } : {}) };
  }

  cookieIsSecure(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }
}

function waitText(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}

function toSessionInfo(record: Omit<SessionRecord, 'expiresAt'> | AuthContext): SessionInfo {
  return {
    user: { id: record.userId, email: record.email, name: record.name, role: record.role },
    workspace: { id: record.workspaceId, name: record.workspaceName },
  };
}
