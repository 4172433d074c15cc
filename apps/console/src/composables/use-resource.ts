import { ApiClientError } from '@ledgerlink/api-client';
import { getCurrentScope, inject, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { sessionKey } from './use-session.js';

export interface Resource<T> {
  data: ShallowRef<T | undefined>;
  error: Ref<ApiClientError | null>;
  loading: Ref<boolean>;
  /** Loads again; a load still in flight is cancelled. */
  reload(): Promise<void>;
}

/** Turns any error into an ApiClientError, so screens have one thing to show. */
export function toApiClientError(error: unknown): ApiClientError {
  if (error instanceof ApiClientError) return error;
  return new ApiClientError({ status: 0, code: 'unexpected', message: error instanceof Error ? error.message : String(error), cause: error });
}

/**
 * Server state loaded through the API client: data, error and loading flags, cancelled when the
 * component goes away. A 401 ends the session (the router then asks the person to sign in).
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const data = shallowRef<T>();
  const error = ref<ApiClientError | null>(null);
  const loading = ref(false);
  const session = inject(sessionKey, null);
  let controller: AbortController | null = null;

  async function reload(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    try {
      const value = await load(current.signal);
      if (current.signal.aborted) return;
      data.value = value;
      error.value = null;
    } catch (caught) {
      if (current.signal.aborted) return;
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      error.value = apiError;
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  if (getCurrentScope()) onScopeDispose(() => controller?.abort());
  return { data, error, loading, reload };
}
