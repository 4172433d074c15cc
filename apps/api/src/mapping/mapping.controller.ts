import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { type MappingDetail, type MappingPreviewView, type MappingVersionList, type PreviewMappingRequest, routes, type SaveMappingRequest } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { MappingService } from './mapping.service.js';

interface Params {
  readonly id: string;
  readonly entity: string;
}

@Controller()
export class MappingController {
  constructor(private readonly mappings: MappingService) {}

  @Get(routes.getMapping.path)
  get(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getMapping.params, 'path')) params: Params): Promise<MappingDetail> {
    return this.mappings.detail(user, params.id, params.entity);
  }

  @Put(routes.saveMapping.path)
  @RequireRole('admin')
  save(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.saveMapping.params, 'path')) params: Params,
    @Body(new ZodPipe(routes.saveMapping.body)) body: SaveMappingRequest,
  ): Promise<MappingDetail> {
    return this.mappings.save(user, params.id, params.entity, body);
  }

  @Post(routes.previewMapping.path)
  @RequireRole('admin')
  @HttpCode(200)
  preview(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.previewMapping.params, 'path')) params: Params,
    @Body(new ZodPipe(routes.previewMapping.body)) body: PreviewMappingRequest,
  ): Promise<MappingPreviewView> {
    return this.mappings.preview(user, params.id, params.entity, body);
  }

  @Get(routes.listMappingVersions.path)
  versions(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.listMappingVersions.params, 'path')) params: Params): Promise<MappingVersionList> {
    return this.mappings.history(user, params.id, params.entity);
  }
}
