import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type LoginRequest, routes, type SessionInfo, type SwitchWorkspaceRequest, type WorkspaceMembership } from '@ledgerlink/contract';
import { serializeSessionCookie } from '../common/cookies.js';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from './auth.context.js';
import { CurrentUser, Public } from './auth.decorators.js';
import { AuthService, CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_SECONDS } from './auth.service.js';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post(routes.login.path)
  @HttpCode(200)
  async login(
    @Body(new ZodPipe(routes.login.body)) body: LoginRequest,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionInfo> {
    const { token, session } = await this.auth.login(body.email, body.password, request.ip ?? request.socket.remoteAddress ?? 'unknown');
    this.setCookies(response, token, session.csrfToken ?? '', SESSION_TTL_SECONDS);
    return session;
  }

  @Post(routes.logout.path)
  @HttpCode(200)
  async logout(@CurrentUser() user: AuthContext, @Res({ passthrough: true }) response: Response): Promise<{ ok: true }> {
    await this.auth.logout(user);
    if (user.via === 'session') this.setCookies(response, '', '', 0);
    return { ok: true };
  }

  @Get(routes.listWorkspaces.path)
  workspaces(@CurrentUser() user: AuthContext): Promise<WorkspaceMembership[]> {
    return this.auth.workspaces(user);
  }

  @Post(routes.switchWorkspace.path)
  @HttpCode(200)
  switchWorkspace(@CurrentUser() user: AuthContext, @Body(new ZodPipe(routes.switchWorkspace.body)) body: SwitchWorkspaceRequest): Promise<SessionInfo> {
    return this.auth.switchWorkspace(user, body.workspaceId);
  }

  @Get(routes.me.path)
  me(@CurrentUser() user: AuthContext, @Res({ passthrough: true }) response: Response): SessionInfo {
    // Sessions opened before the CSRF cookie existed get it here.
    if (user.csrfToken) response.setHeader('Set-Cookie', this.csrfCookie(user.csrfToken, SESSION_TTL_SECONDS));
    return this.auth.sessionInfo(user);
  }

  private setCookies(response: Response, token: string, csrfToken: string, maxAgeSeconds: number): void {
    const secure = this.auth.cookieIsSecure();
    response.setHeader('Set-Cookie', [serializeSessionCookie(SESSION_COOKIE, token, { maxAgeSeconds, secure }), this.csrfCookie(csrfToken, maxAgeSeconds)]);
  }

  private csrfCookie(csrfToken: string, maxAgeSeconds: number): string {
    return serializeSessionCookie(CSRF_COOKIE, csrfToken, { maxAgeSeconds, secure: this.auth.cookieIsSecure(), httpOnly: false });
  }
}
