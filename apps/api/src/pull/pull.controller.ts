import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { type PullStatus, routes } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { PullService } from './pull.service.js';

@Controller()
export class PullController {
  constructor(private readonly pulls: PullService) {}

  @Post(routes.startPull.path)
  @HttpCode(202)
  @RequireRole('admin')
  start(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.startPull.params, 'path')) params: { id: string }): Promise<PullStatus> {
    return this.pulls.start(user, params.id);
  }

  @Get(routes.getPull.path)
  get(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getPull.params, 'path')) params: { id: string; pullId: string }): Promise<PullStatus> {
    return this.pulls.get(user, params.id, params.pullId);
  }
}
