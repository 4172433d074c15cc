import type { ContactList, ContactView } from '@ledgerlink/contract';
import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useApi } from './use-api.js';
import { useResource, type Resource } from './use-resource.js';

export type ContactKind = ContactView['kind'];
export type LinkFilter = '' | 'linked' | 'unlinked' | 'invalid' | 'suggested';

export interface UseContacts extends Resource<ContactList> {
  page: Ref<number>;
  /** Free-text filter sent to the API as `q`. */
  search: Ref<string>;
  /** Link state on the chosen connection ('' for every contact). */
  linkFilter: Ref<LinkFilter>;
  pageCount: ComputedRef<number>;
  rows: ComputedRef<ContactView[]>;
}

/** One page of local contacts of a kind, with their links; reloads when the kind, page or search changes. */
export function useContacts(kind: Ref<ContactKind>, options: { pageSize?: number; connectionId?: Readonly<Ref<string | null>> } = {}): UseContacts {
  const api = useApi();
  const pageSize = options.pageSize ?? 50;
  const page = ref(1);
  const search = ref('');
  const linkFilter = ref<LinkFilter>('');
  const connectionId = options.connectionId ?? ref<string | null>(null);
  const resource = useResource((signal) =>
    api.listContacts(
      {
        kind: kind.value,
        page: page.value,
        pageSize,
        ...(search.value.trim() ? { q: search.value.trim() } : {}),
        ...(linkFilter.value ? { link: linkFilter.value, ...(connectionId.value ? { connectionId: connectionId.value } : {}) } : {}),
      },
      { signal },
    ),
  );
  const pageCount = computed(() => {
    const data = resource.data.value;
    return data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  });
  const rows = computed(() => resource.data.value?.items ?? []);

  watch([kind, search, linkFilter, connectionId], () => {
    page.value = 1;
  });
  watch([kind, page, search, linkFilter, connectionId], () => void resource.reload(), { immediate: true });

  return { ...resource, page, search, linkFilter, pageCount, rows };
}
