import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PullModule } from '../pull/pull.module.js';
import { InboundModule } from '../inbound/inbound.module.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionsRepository } from './connections.repository.js';
import { ConnectionsService } from './connections.service.js';

@Module({
  imports: [AuthModule, PullModule, InboundModule],
  controllers: [ConnectionsController],
  providers: [ConnectionsRepository, ConnectionsService],
  exports: [ConnectionsRepository],
})
export class ConnectionsModule {}
