import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type LoginRequest, routes, type SessionInfo } from '@ledgerlink/contract';
import { serializeSessionCookie } from '../common/cookies.js';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from './auth.context.js';
import { CurrentUser, Public } from './auth.decorators.js';
import { AuthService, SESSION_COOKIE, SESSION_TTL_SECONDS } from './auth.service.js';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post(routes.login.path)
  @HttpCode(200)
  async login(@Body(new ZodPipe(routes.login.body)) body: LoginRequest, @Res({ passthrough: true }) response: Response): Promise<SessionInfo> {
    const { token, session } = await this.auth.login(body.email, body.password);
    response.setHeader('Set-Cookie', serializeSessionCookie(SESSION_COOKIE, token, { maxAgeSeconds: SESSION_TTL_SECONDS, secure: this.auth.cookieIsSecure() }));
    return session;
  }

  @Post(routes.logout.path)
  @HttpCode(200)
  async logout(@CurrentUser() user: AuthContext, @Res({ passthrough: true }) response: Response): Promise<{ ok: true }> {
    await this.auth.logout(user);
    response.setHeader('Set-Cookie', serializeSessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.auth.cookieIsSecure() }));
    return { ok: true };
  }

  @Get(routes.me.path)
  me(@CurrentUser() user: AuthContext): SessionInfo {
    return this.auth.sessionInfo(user);
  }
}
