import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { routes, type WebhookParams, type WebhookReceipt } from '@ledgerlink/contract';
import type { Request } from 'express';
import { APP_CONFIG } from '../app/tokens.js';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-error.js';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AppConfig } from '../config/config.js';
import { InboundService } from './inbound.service.js';

/** Set by the raw-body middleware of create-app for this route only. */
export interface RawBodyRequest extends Request {
  rawBody?: string;
}

@Controller()
export class InboundController {
  constructor(
    private readonly inbound: InboundService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(routes.receiveWebhook.path)
  @HttpCode(200)
  @Public()
  receive(@Req() request: RawBodyRequest, @Param(new ZodPipe(routes.receiveWebhook.params, 'path')) params: WebhookParams): Promise<WebhookReceipt> {
    if (typeof request.rawBody !== 'string') throw ApiErrors.invalid('The webhook body could not be read as it was sent.');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
    }
    return this.inbound.receive(params.connectorId, { headers, rawBody: request.rawBody, url: `${this.config.publicUrl}${request.originalUrl}` });
  }
}
