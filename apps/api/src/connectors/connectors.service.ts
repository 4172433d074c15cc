import { Injectable } from '@nestjs/common';
import type { ConnectorInfo } from '@ledgerlink/contract';
import { ConnectorRegistry, type LoadedConnector } from './connector-registry.js';

@Injectable()
export class ConnectorsService {
  constructor(private readonly registry: ConnectorRegistry) {}

  list(): ConnectorInfo[] {
    return this.registry.list().map(toConnectorInfo);
  }
}

export function toConnectorInfo(connector: LoadedConnector): ConnectorInfo {
  const { definition } = connector;
  const info: ConnectorInfo = {
    id: definition.id,
    displayName: definition.displayName,
    description: definition.description,
    category: definition.category,
    authType: definition.auth.type,
    configured: connector.configured,
    contactKinds: [...definition.capabilities.contactKinds],
  };
  if (definition.logo) info.logo = definition.logo;
  return info;
}
