import type { Connection } from '@ledgerlink/contract';
import { computed, type ComputedRef } from 'vue';
import { useApi } from './use-api.js';
import { useResource, type Resource } from './use-resource.js';

export interface UseConnections extends Resource<Connection[]> {
  /** Connections that can be used now (status connected and enabled). */
  connected: ComputedRef<Connection[]>;
}

/** The workspace's connections. */
export function useConnections(): UseConnections {
  const api = useApi();
  const resource = useResource((signal) => api.listConnections({ signal }));
  const connected = computed(() => (resource.data.value ?? []).filter((c) => c.status === 'connected' && c.enabled));
  return { ...resource, connected };
}
