import { Module } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import { MappingVersions } from '../mapping/mapping-versions.js';
import { UploadRunner } from './upload-runner.service.js';
import { UploadsProcessor } from './uploads.processor.js';
import { UploadsRepository } from './uploads.repository.js';

/** The worker side: the Bull processor for the contacts queue. Loaded by worker.ts and start.ts. */
@Module({
  imports: [ConnectorHostModule],
  providers: [UploadsRepository, ContactsRepository, MappingVersions, UploadRunner, UploadsProcessor],
})
export class UploadsWorkerModule {}
