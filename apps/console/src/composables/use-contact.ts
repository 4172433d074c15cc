import type { ContactDetail } from '@ledgerlink/contract';
import { watch, type Ref } from 'vue';
import { useApi } from './use-api.js';
import { useResource, type Resource } from './use-resource.js';

/** One contact with every link and its history; reloads when the id changes. */
export function useContact(id: Ref<string>): Resource<ContactDetail> {
  const api = useApi();
  const resource = useResource((signal) => api.getContact(id.value, { signal }));
  watch(id, () => void resource.reload(), { immediate: true });
  return resource;
}
