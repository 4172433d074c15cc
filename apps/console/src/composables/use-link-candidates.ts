import type { ApiClientError } from '@ledgerlink/api-client';
import type { ContactDetail, LinkCandidate } from '@ledgerlink/contract';
import { getCurrentScope, inject, onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError } from './use-resource.js';
import { sessionKey } from './use-session.js';

export interface UseLinkCandidates {
  query: Ref<string>;
  candidates: ShallowRef<LinkCandidate[]>;
  /** `mirror` or `live`, from the last answer. */
  source: Ref<'mirror' | 'live' | null>;
  loading: Ref<boolean>;
  error: Ref<ApiClientError | null>;
  linking: Ref<boolean>;
  linkError: Ref<ApiClientError | null>;
  /** Searches after `debounceMs` of quiet; a newer search cancels an older one. */
  search(query: string): void;
  /** Searches at once (e.g. when the box gains focus). */
  searchNow(): Promise<void>;
  link(remoteId: string): Promise<ContactDetail | null>;
}

/** Remote contacts a local contact could be linked to, searched as the person types, and linking to one. */
export function useLinkCandidates(connectionId: () => string, contactId: () => string, options: { debounceMs?: number } = {}): UseLinkCandidates {
  const api = useApi();
  const session = inject(sessionKey, null);
  const debounceMs = options.debounceMs ?? 250;
  const query = ref('');
  const candidates = shallowRef<LinkCandidate[]>([]);
  const source = ref<'mirror' | 'live' | null>(null);
  const loading = ref(false);
  const error = ref<ApiClientError | null>(null);
  const linking = ref(false);
  const linkError = ref<ApiClientError | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | null = null;

  function fail(caught: unknown): ApiClientError {
    const apiError = toApiClientError(caught);
    if (apiError.status === 401) session?.expire();
    return apiError;
  }

  async function searchNow(): Promise<void> {
    clearTimeout(timer);
    controller?.abort();
    const current = new AbortController();
    controller = current;
    loading.value = true;
    const q = query.value.trim();
    try {
      const list = await api.linkCandidates(connectionId(), contactId(), q ? { q } : {}, { signal: current.signal });
      if (current.signal.aborted) return;
      candidates.value = list.items;
      source.value = list.source;
      error.value = null;
    } catch (caught) {
      if (current.signal.aborted) return;
      error.value = fail(caught);
      candidates.value = [];
    } finally {
      if (controller === current) loading.value = false;
    }
  }

  function search(value: string): void {
    query.value = value;
    clearTimeout(timer);
    timer = setTimeout(() => void searchNow(), debounceMs);
  }

  async function link(remoteId: string): Promise<ContactDetail | null> {
    linking.value = true;
    linkError.value = null;
    try {
      return await api.createLink(connectionId(), { contactId: contactId(), remoteId });
    } catch (caught) {
      linkError.value = fail(caught);
      return null;
    } finally {
      linking.value = false;
    }
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      clearTimeout(timer);
      controller?.abort();
    });
  }
  return { query, candidates, source, loading, error, linking, linkError, search, searchNow, link };
}
