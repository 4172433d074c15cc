import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { type MatchingRunStatus, routes, type SuggestionDecisionsRequest, type SuggestionDecisionsResponse, type SuggestionList } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { MatchingService } from './matching.service.js';

@Controller()
export class MatchingController {
  constructor(private readonly matching: MatchingService) {}

  @Post(routes.startMatching.path)
  @HttpCode(202)
  @RequireRole('admin')
  start(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.startMatching.params, 'path')) params: { id: string }): Promise<MatchingRunStatus> {
    return this.matching.start(user, params.id);
  }

  @Get(routes.getMatchingRun.path)
  run(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getMatchingRun.params, 'path')) params: { id: string; runId: string }): Promise<MatchingRunStatus> {
    return this.matching.run(user, params.id, params.runId);
  }

  @Get(routes.listSuggestions.path)
  list(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.listSuggestions.params, 'path')) params: { id: string },
    @Query(new ZodPipe(routes.listSuggestions.query, 'query')) query: { page: number; pageSize: number },
  ): Promise<SuggestionList> {
    return this.matching.list(user, params.id, query);
  }

  @Post(routes.decideSuggestions.path)
  @HttpCode(200)
  @RequireRole('admin')
  decide(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.decideSuggestions.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.decideSuggestions.body)) body: SuggestionDecisionsRequest,
  ): Promise<SuggestionDecisionsResponse> {
    return this.matching.decide(user, params.id, body.decisions);
  }
}
