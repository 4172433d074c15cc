import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { LinksController } from './links.controller.js';
import { LinksRepository } from './links.repository.js';
import { LinksService } from './links.service.js';

/** The HTTP side of links: candidates, link, unlink, contact detail with history. */
@Module({
  imports: [AuthModule, ConnectionsModule, ContactsModule, ConnectorHostModule],
  controllers: [LinksController],
  providers: [LinksRepository, LinksService],
})
export class LinksModule {}
