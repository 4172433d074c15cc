import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { type CreatedWebhookEndpoint, type CreateWebhookEndpointRequest, type EventsPage, routes, type WebhookDeliveryView, type WebhookEndpointView } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { EventsService, type EventsQueryParsed } from './events.service.js';

@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get(routes.listEvents.path)
  list(@CurrentUser() user: AuthContext, @Query(new ZodPipe(routes.listEvents.query, 'query')) query: EventsQueryParsed): Promise<EventsPage> {
    return this.events.list(user, query);
  }

  @Post(routes.createWebhookEndpoint.path)
  @HttpCode(201)
  @RequireRole('admin')
  create(@CurrentUser() user: AuthContext, @Body(new ZodPipe(routes.createWebhookEndpoint.body)) body: CreateWebhookEndpointRequest): Promise<CreatedWebhookEndpoint> {
    return this.events.createEndpoint(user, body);
  }

  @Get(routes.listWebhookEndpoints.path)
  @RequireRole('admin')
  endpoints(@CurrentUser() user: AuthContext): Promise<WebhookEndpointView[]> {
    return this.events.listEndpoints(user);
  }

  @Delete(routes.deleteWebhookEndpoint.path)
  @RequireRole('admin')
  remove(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.deleteWebhookEndpoint.params, 'path')) params: { id: string }): Promise<WebhookEndpointView> {
    return this.events.deleteEndpoint(user, params.id);
  }

  @Get(routes.listWebhookDeliveries.path)
  @RequireRole('admin')
  deliveries(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.listWebhookDeliveries.params, 'path')) params: { id: string }): Promise<WebhookDeliveryView[]> {
    return this.events.deliveries(user, params.id);
  }
}
