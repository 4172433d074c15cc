import type { ApiClientError } from '@ledgerlink/api-client';
import type { ConnectorInfo } from '@ledgerlink/contract';
import { ref, type Ref } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError, useResource, type Resource } from './use-resource.js';

export interface UseConnectorsOptions {
  /** Where to send the browser for the provider's consent page (tests pass their own). */
  navigate?: (url: string) => void;
}

export interface UseConnectors extends Resource<ConnectorInfo[]> {
  /** Id of the connector whose consent page is being opened. */
  connecting: Ref<string | null>;
  connectError: Ref<ApiClientError | null>;
  /**
   * Starts connecting: the API creates the connection (or, given `connectionId`, reconnects that
   * one in place, keeping its links) and the browser goes to the consent page.
   */
  connect(connectorId: string, connectionId?: string): Promise<void>;
}

/** Installed connectors, and connecting one of them through OAuth. */
export function useConnectors(options: UseConnectorsOptions = {}): UseConnectors {
  const api = useApi();
  const navigate = options.navigate ?? ((url: string) => window.location.assign(url));
  const resource = useResource((signal) => api.listConnectors({ signal }));
  const connecting = ref<string | null>(null);
  const connectError = ref<ApiClientError | null>(null);

  async function connect(connectorId: string, connectionId?: string): Promise<void> {
    connecting.value = connectorId;
    connectError.value = null;
    try {
      const { authorizeUrl } = await api.createConnection(connectionId === undefined ? { connectorId } : { connectorId, connectionId });
      navigate(authorizeUrl);
    } catch (error) {
      connectError.value = toApiClientError(error);
      connecting.value = null;
    }
  }

  return { ...resource, connecting, connectError, connect };
}
