import { Inject, Injectable } from '@nestjs/common';
import type { SessionInfo } from '@ledgerlink/contract';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { randomToken, sha256Hex } from '../common/hashing.js';
import { hashPassword, verifyPassword } from './password.js';
import { AuthRepository, type SessionRecord } from './auth.repository.js';
import type { AuthContext } from './auth.context.js';

export const SESSION_COOKIE = 'll_session';
export const SESSION_TTL_SECONDS = 14 * 24 * 60 * 60;

let dummyHash: Promise<string> | undefined;

@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the password and opens a session. Returns the cookie token (shown once) and who signed in. */
  async login(email: string, password: string): Promise<{ token: string; session: SessionInfo }> {
    const candidate = await this.repository.findLoginCandidate(email);
    // Same work for unknown emails, so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, candidate?.passwordHash ?? (await (dummyHash ??= hashPassword(randomToken(12)))));
    if (!candidate || !ok) throw ApiErrors.unauthorized('The email or password is not right.');
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
    return { token, session: toSessionInfo(record) };
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
    return context;
  }

  async logout(context: AuthContext): Promise<void> {
    await this.repository.deleteSession(context.sessionId);
  }

  sessionInfo(context: AuthContext): SessionInfo {
    return toSessionInfo(context);
  }

  cookieIsSecure(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }
}

function toSessionInfo(record: Omit<SessionRecord, 'expiresAt'> | AuthContext): SessionInfo {
  return {
    user: { id: record.userId, email: record.email, name: record.name, role: record.role },
    workspace: { id: record.workspaceId, name: record.workspaceName },
  };
}
