import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { OpenApiService } from './openapi.service.js';

@Controller()
export class OpenApiController {
  constructor(private readonly openapi: OpenApiService) {}

  @Public()
  @Get('/api/docs/openapi.json')
  document(): Record<string, unknown> {
    return this.openapi.document();
  }

  @Public()
  @Get('/api/docs')
  @Header('content-type', 'text/html; charset=utf-8')
  page(): string {
    return this.openapi.html();
  }
}
