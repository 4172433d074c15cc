import type { ApiClient } from '@ledgerlink/api-client';
import { inject, type InjectionKey } from 'vue';

export const apiClientKey: InjectionKey<ApiClient> = Symbol('ledgerlink-api-client');

/** The API client the app was given (`app.provide(apiClientKey, createApiClient())`). */
export function useApi(): ApiClient {
  const api = inject(apiClientKey);
  if (!api) throw new Error('No API client provided: call app.provide(apiClientKey, createApiClient()) before mounting.');
  return api;
}
