import { Module } from '@nestjs/common';
import { ConnectorHostRepository } from './connector-host.repository.js';
import { ConnectorHostService } from './connector-host.service.js';

@Module({ providers: [ConnectorHostRepository, ConnectorHostService], exports: [ConnectorHostService] })
export class ConnectorHostModule {}
