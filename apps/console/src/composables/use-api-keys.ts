import type { ApiClientError } from '@ledgerlink/api-client';
import type { ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from '@ledgerlink/contract';
import { inject, ref, type Ref } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError, useResource, type Resource } from './use-resource.js';
import { sessionKey } from './use-session.js';

export interface UseApiKeys extends Resource<ApiKeyView[]> {
  busy: Ref<boolean>;
  actionError: Ref<ApiClientError | null>;
  /** Creates a key; the answer holds the secret, which the API never shows again. */
  create(body: CreateApiKeyRequest): Promise<CreatedApiKey | null>;
  revoke(id: string): Promise<boolean>;
}

/** The workspace's API keys, with create and revoke. */
export function useApiKeys(): UseApiKeys {
  const api = useApi();
  const session = inject(sessionKey, null);
  const resource = useResource((signal) => api.listApiKeys({ signal }));
  const busy = ref(false);
  const actionError = ref<ApiClientError | null>(null);

  async function act<T>(action: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    actionError.value = null;
    try {
      const result = await action();
      await resource.reload();
      return result;
    } catch (caught) {
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      actionError.value = apiError;
      return null;
    } finally {
      busy.value = false;
    }
  }

  return {
    ...resource,
    busy,
    actionError,
    create: (body) => act(() => api.createApiKey(body)),
    revoke: async (id) => (await act(() => api.revokeApiKey(id))) !== null,
  };
}
