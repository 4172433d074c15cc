import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { type ApiKeyView, type CreatedApiKey, routes } from '@ledgerlink/contract';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from './auth.context.js';
import { CurrentUser, RequireRole, SessionOnly } from './auth.decorators.js';
import { ApiKeysService } from './api-keys.service.js';

/** API keys for host apps; managed by owners and admins from a console session only. */
@Controller()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post(routes.createApiKey.path)
  @HttpCode(201)
  @RequireRole('admin')
  @SessionOnly()
  create(@CurrentUser() user: AuthContext, @Body(new ZodPipe(routes.createApiKey.body)) body: z.output<typeof routes.createApiKey.body>): Promise<CreatedApiKey> {
    return this.keys.create(user, body.name, body.role);
  }

  @Get(routes.listApiKeys.path)
  @RequireRole('admin')
  @SessionOnly()
  list(@CurrentUser() user: AuthContext): Promise<ApiKeyView[]> {
    return this.keys.list(user);
  }

  @Delete(routes.revokeApiKey.path)
  @RequireRole('admin')
  @SessionOnly()
  revoke(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.revokeApiKey.params, 'path')) params: { id: string }): Promise<ApiKeyView> {
    return this.keys.revoke(user, params.id);
  }
}
