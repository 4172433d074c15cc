import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { routes, type UploadRequest, type UploadStatus } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { UploadsService } from './uploads.service.js';

@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post(routes.createUpload.path)
  @HttpCode(202)
  @RequireRole('admin')
  create(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.createUpload.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.createUpload.body)) body: UploadRequest,
  ): Promise<UploadStatus> {
    return this.uploads.create(user, params.id, body.contactIds);
  }

  @Get(routes.getUpload.path)
  get(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getUpload.params, 'path')) params: { id: string; uploadId: string }): Promise<UploadStatus> {
    return this.uploads.get(user, params.id, params.uploadId);
  }
}
