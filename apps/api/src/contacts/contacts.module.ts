import { Module } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsRepository } from './contacts.repository.js';
import { ContactsService } from './contacts.service.js';
import { ContactsImportService } from './contacts-import.service.js';

@Module({
  imports: [ConnectorHostModule],
  controllers: [ContactsController],
  providers: [ContactsRepository, ContactsService, ContactsImportService],
  exports: [ContactsRepository, ContactsService],
})
export class ContactsModule {}
