import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { readCookie } from '../common/cookies.js';
import { ROLE_RANK, type AuthContext } from './auth.context.js';
import { MIN_ROLE, PUBLIC_ROUTE, SESSION_ONLY } from './auth.decorators.js';
import { AuthService, CSRF_HEADER, SESSION_COOKIE } from './auth.service.js';
import { ApiKeysService } from './api-keys.service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface GuardedRequest {
  method: string;
  headers: { cookie?: string; authorization?: string; [CSRF_HEADER]?: string | string[] };
  auth?: AuthContext;
}

/**
 * Every route needs a caller unless marked @Public(): a console session (cookie) or a host app's
 * API key (`Authorization: Bearer`). Cookie requests that change data must carry the session's
 * X-CSRF-Token; bearer requests are exempt (a browser never adds that header by itself).
 * @RequireRole refuses callers below the role, naming the role needed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const auth = await this.identify(request);
    if (auth.via === 'api_key' && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets)) {
      throw ApiErrors.forbidden('API keys cannot do this: sign in to the console as an owner or admin.');
    }
    const minimum = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets);
    if (minimum && ROLE_RANK[auth.role] < ROLE_RANK[minimum]) {
      const who = auth.via === 'api_key' ? `this API key's role is ${auth.role}` : `your role is ${auth.role}`;
      throw ApiErrors.forbidden(`This needs the ${minimum} role (or owner); ${who}, which can only look: ask an owner or admin to do this.`);
    }
    request.auth = auth;
    return true;
  }

  private async identify(request: GuardedRequest): Promise<AuthContext> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match?.[1]) throw ApiErrors.unauthorized('The Authorization header must be "Bearer <api key>".');
      return this.apiKeys.authenticate(match[1]);
    }
    const auth = await this.auth.authenticate(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!auth) throw ApiErrors.unauthorized();
    if (!SAFE_METHODS.has(request.method.toUpperCase())) checkCsrf(request.headers[CSRF_HEADER], auth.csrfToken);
    return auth;
  }
}

function checkCsrf(sent: string | string[] | undefined, expected: string | null): void {
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (!value) {
    throw ApiErrors.csrf('This change needs the X-CSRF-Token header (the value of the ll_csrf cookie, or csrfToken from GET /api/v1/auth/me): reload the console, or use an API key.');
  }
  const a = Buffer.from(value);
  const b = Buffer.from(expected ?? '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw ApiErrors.csrf('The X-CSRF-Token header does not match this session (it may be from an earlier sign-in): reload the console and try again.');
  }
}
