import { Controller, Get } from '@nestjs/common';
import { type ConnectorInfo, routes } from '@ledgerlink/contract';
import { ConnectorsService } from './connectors.service.js';

@Controller()
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Get(routes.listConnectors.path)
  list(): ConnectorInfo[] {
    return this.connectors.list();
  }
}
