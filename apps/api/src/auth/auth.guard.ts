import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { readCookie } from '../common/cookies.js';
import { ROLE_RANK, type AuthContext } from './auth.context.js';
import { MIN_ROLE, PUBLIC_ROUTE } from './auth.decorators.js';
import { AuthService, SESSION_COOKIE } from './auth.service.js';

/** Every route needs a console session unless marked @Public(); @RequireRole refuses viewers. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: { cookie?: string }; auth?: AuthContext }>();
    const auth = await this.auth.authenticate(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!auth) throw ApiErrors.unauthorized();
    const minimum = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets);
    if (minimum && ROLE_RANK[auth.role] < ROLE_RANK[minimum]) {
      throw ApiErrors.forbidden(`Your role (${auth.role}) can only look: ask an owner or admin to do this.`);
    }
    request.auth = auth;
    return true;
  }
}
