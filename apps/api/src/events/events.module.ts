import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';

/** The HTTP side: the events feed and the webhook endpoints. */
@Module({
  imports: [AuthModule],
  controllers: [EventsController],
  providers: [EventsService],
})
export class EventsModule {}

/** The worker side: turns hub events into signed deliveries to the host app, with retries. */
@Module({
  providers: [WebhookDispatcher],
  exports: [WebhookDispatcher],
})
export class EventsWorkerModule {}
