import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { type CandidateList, type ContactDetail, type CreateLinkRequest, routes } from '@ledgerlink/contract';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { LinksService } from './links.service.js';

@Controller()
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get(routes.getContact.path)
  detail(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getContact.params, 'path')) params: { id: string }): Promise<ContactDetail> {
    return this.links.detail(user, params.id);
  }

  @Get(routes.linkCandidates.path)
  candidates(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.linkCandidates.params, 'path')) params: { id: string; contactId: string },
    @Query(new ZodPipe(routes.linkCandidates.query, 'query')) query: z.output<typeof routes.linkCandidates.query>,
  ): Promise<CandidateList> {
    return this.links.candidates(user, params.id, params.contactId, query.q);
  }

  @Post(routes.createLink.path)
  @RequireRole('admin')
  link(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.createLink.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.createLink.body)) body: CreateLinkRequest,
  ): Promise<ContactDetail> {
    return this.links.link(user, params.id, body.contactId, body.remoteId);
  }

  @Delete(routes.deleteLink.path)
  @RequireRole('admin')
  unlink(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.deleteLink.params, 'path')) params: { id: string; contactId: string },
    @Query(new ZodPipe(routes.deleteLink.query, 'query')) query: z.output<typeof routes.deleteLink.query>,
  ): Promise<ContactDetail> {
    return this.links.unlink(user, params.id, params.contactId, query.reason);
  }
}
