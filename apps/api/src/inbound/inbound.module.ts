import { Module } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { LinksRepository } from '../links/links.repository.js';
import { InboundController } from './inbound.controller.js';
import { InboundProcessor } from './inbound.processor.js';
import { InboundRepository } from './inbound.repository.js';
import { InboundRunner } from './inbound-runner.service.js';
import { InboundService } from './inbound.service.js';
import { InboundSweeper } from './inbound-sweeper.service.js';

/** The HTTP side: POST /api/v1/webhooks/:connectorId stores and queues change events. */
@Module({
  controllers: [InboundController],
  providers: [InboundRepository, InboundService],
  exports: [InboundService],
})
export class InboundModule {}

/** The worker side: applies queued InboundEvents to the mirror and the links. */
@Module({
  imports: [ConnectorHostModule],
  providers: [InboundRepository, LinksRepository, InboundRunner, InboundProcessor, InboundSweeper],
  exports: [InboundSweeper],
})
export class InboundWorkerModule {}
