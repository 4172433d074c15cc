import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Connection, type CreateConnectionRequest, type CreateConnectionResponse, routes, type SetConnectionEnabledRequest } from '@ledgerlink/contract';
import { readCookie } from '../common/cookies.js';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, Public, RequireRole } from '../auth/auth.decorators.js';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import { ConnectionsService } from './connections.service.js';
import { oauthRedirectUrl } from './connections.dto.js';

export const OAUTH_CALLBACK_PATH = '/api/v1/oauth/callback';

@Controller()
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly auth: AuthService,
  ) {}

  @Get(routes.listConnections.path)
  list(@CurrentUser() user: AuthContext): Promise<Connection[]> {
    return this.connections.list(user);
  }

  @Post(routes.createConnection.path)
  @RequireRole('admin')
  create(@CurrentUser() user: AuthContext, @Body(new ZodPipe(routes.createConnection.body)) body: CreateConnectionRequest): Promise<CreateConnectionResponse> {
    return this.connections.create(user, body.connectorId, body.connectionId);
  }

  @Put(routes.setConnectionEnabled.path)
  @RequireRole('admin')
  setEnabled(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.setConnectionEnabled.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.setConnectionEnabled.body)) body: SetConnectionEnabledRequest,
  ): Promise<Connection> {
    return this.connections.setEnabled(user, params.id, body.enabled);
  }

  @Post(routes.disconnectConnection.path)
  @HttpCode(200)
  @RequireRole('admin')
  disconnect(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.disconnectConnection.params, 'path')) params: { id: string }): Promise<Connection> {
    return this.connections.disconnect(user, params.id);
  }

  /** The provider sends the browser here; it always answers with a redirect to the console. */
  @Public()
  @Get(OAUTH_CALLBACK_PATH)
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const session = await this.auth.authenticate(readCookie(request.headers.cookie, SESSION_COOKIE));
    const outcome = await this.connections.completeOAuth(new URL(request.originalUrl, this.connections.redirectUri).toString(), session);
    response.redirect(302, oauthRedirectUrl(this.connections.consoleUrl, outcome));
  }
}
