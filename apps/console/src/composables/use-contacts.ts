import type { ContactList, ContactView } from '@ledgerlink/contract';
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useApi } from './use-api.js';
import { useResource, type Resource } from './use-resource.js';

export type ContactKind = ContactView['kind'];

export interface UseContacts extends Resource<ContactList> {
  page: Ref<number>;
  /** Free-text filter sent to the API as `q`. */
  search: Ref<string>;
  pageCount: ComputedRef<number>;
  rows: ComputedRef<ContactView[]>;
}

/** One page of local contacts of a kind, with their links; reloads when the kind, page or search changes. */
export function useContacts(kind: Ref<ContactKind>, options: { pageSize?: number } = {}): UseContacts {
  const api = useApi();
  const pageSize = options.pageSize ?? 50;
  const page = ref(1);
  const search = ref('');
  const resource = useResource((signal) =>
    api.listContacts({ kind: kind.value, page: page.value, pageSize, ...(search.value.trim() ? { q: search.value.trim() } : {}) }, { signal }),
  );
  const pageCount = computed(() => {
    const data = resource.data.value;
    return data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  });
  const rows = computed(() => resource.data.value?.items ?? []);

  watch([kind, search], () => {
    page.value = 1;
  });
  watch([kind, page, search], () => void resource.reload(), { immediate: true });

  return { ...resource, page, search, pageCount, rows };
}
