import type { ApiClientError } from '@ledgerlink/api-client';
import type { SyncRunDetail, SyncRunList, SyncRunView, TransactionList, TransactionSyncState, TransactionView } from '@ledgerlink/contract';
import { computed, getCurrentScope, inject, onScopeDispose, reactive, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError, useResource, type Resource } from './use-resource.js';
import { sessionKey } from './use-session.js';

/** The tabs of the Transactions screen: what each asks the API for. */
export type TransactionTab = 'ready' | 'synced' | 'blocked' | 'failed';

export interface UseTransactions extends Resource<TransactionList> {
  tab: Ref<TransactionTab>;
  /** Rows loaded so far (the first page, plus every "Load more"). */
  rows: ComputedRef<TransactionView[]>;
  hasMore: ComputedRef<boolean>;
  loadMore(): Promise<void>;
  loadingMore: Ref<boolean>;
}

function stateOf(tab: TransactionTab): TransactionSyncState | undefined {
  return tab === 'ready' ? undefined : tab;
}

/** Transactions of a tab on one connection, newest first, with cursor paging ("Load more"). */
export function useTransactions(connectionId: Ref<string | null>, options: { limit?: number } = {}): UseTransactions {
  const api = useApi();
  const session = inject(sessionKey, null);
  const limit = options.limit ?? 50;
  const tab = ref<TransactionTab>('ready');
  const more = shallowRef<TransactionView[]>([]);
  const cursor = ref<string | null>(null);
  const loadingMore = ref(false);

  const query = (from?: string) => {
    const state = stateOf(tab.value);
    const id = connectionId.value;
    return {
      limit,
      ...(from ? { cursor: from } : {}),
      ...(state && id ? { connectionId: id, syncState: state } : { ready: 'true' as const }),
    };
  };
  const resource = useResource(async (signal) => {
    more.value = [];
    const page = await api.call('listTransactions', { query: query(), signal });
    cursor.value = page.nextCursor;
    return page;
  });

  async function loadMore(): Promise<void> {
    if (!cursor.value || loadingMore.value) return;
    loadingMore.value = true;
    try {
      const page = await api.call('listTransactions', { query: query(cursor.value) });
      more.value = [...more.value, ...page.items];
      cursor.value = page.nextCursor;
    } catch (caught) {
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      resource.error.value = apiError;
    } finally {
      loadingMore.value = false;
    }
  }

  watch([connectionId, tab], () => void resource.reload(), { immediate: true });
  return {
    ...resource,
    tab,
    rows: computed(() => [...(resource.data.value?.items ?? []), ...more.value]),
    hasMore: computed(() => cursor.value !== null),
    loadMore,
    loadingMore,
  };
}

export interface UseSyncRuns extends Resource<SyncRunList> {
  /** runId → its detail (batches), kept fresh while the run is queued or running. */
  details: Record<string, SyncRunDetail>;
  /** "Sync now" (or a retry) just started: follow it until it ends. */
  follow(run: SyncRunView): void;
  /** True while any listed run is queued or running. */
  active: ComputedRef<boolean>;
}

const running = (run: SyncRunView): boolean => run.state === 'queued' || run.state === 'running';

/**
 * A connection's sync runs (newest first), and the batches of the ones still running, polled until
 * they end; `onSettled` runs when a followed run finishes (to reload the transactions).
 */
export function useSyncRuns(connectionId: Ref<string | null>, options: { pollIntervalMs?: number; onSettled?: () => void } = {}): UseSyncRuns {
  const api = useApi();
  const interval = options.pollIntervalMs ?? 1000;
  const details = reactive<Record<string, SyncRunDetail>>({});
  const resource = useResource(async (signal) => {
    const id = connectionId.value;
    if (!id) return { items: [], nextCursor: null };
    return api.call('listSyncRuns', { params: { id }, query: { limit: 20 }, signal });
  });
  const active = computed(() => (resource.data.value?.items ?? []).some((run) => running(details[run.id] ?? run)));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  async function poll(): Promise<void> {
    timer = null;
    const id = connectionId.value;
    if (!id || disposed) return;
    const open = (resource.data.value?.items ?? []).filter((run) => running(details[run.id] ?? run));
    let settled = false;
    for (const run of open) {
      try {
        const detail = await api.call('getSyncRun', { params: { id, runId: run.id } });
        details[run.id] = detail;
        if (!running(detail)) settled = true;
      } catch {
        // Shown by the next list reload; keep polling the others.
      }
    }
    if (disposed) return;
    if (settled) {
      await resource.reload();
      options.onSettled?.();
    }
    schedule();
  }
  function schedule(): void {
    if (timer || disposed) return;
    if ((resource.data.value?.items ?? []).some((run) => running(details[run.id] ?? run))) timer = setTimeout(() => void poll(), interval);
  }

  function follow(run: SyncRunView): void {
    const list = resource.data.value ?? { items: [], nextCursor: null };
    resource.data.value = { ...list, items: [run, ...list.items.filter((r) => r.id !== run.id)] };
    schedule();
  }

  watch(connectionId, () => void resource.reload().then(schedule), { immediate: true });
  if (getCurrentScope()) {
    onScopeDispose(() => {
      disposed = true;
      if (timer) clearTimeout(timer);
    });
  }
  return { ...resource, details, follow, active };
}

export interface UseSyncActions {
  busy: Ref<boolean>;
  error: ShallowRef<ApiClientError | null>;
  syncNow(connectionId: string): Promise<SyncRunView | null>;
  retry(connectionId: string, transactionIds: string[] | 'all'): Promise<SyncRunView | null>;
}

/** "Sync now" and "Retry": each starts a background run and returns it. */
export function useSyncActions(): UseSyncActions {
  const api = useApi();
  const session = inject(sessionKey, null);
  const busy = ref(false);
  const error = shallowRef<ApiClientError | null>(null);

  async function guarded(start: () => Promise<SyncRunView>): Promise<SyncRunView | null> {
    if (busy.value) return null;
    busy.value = true;
    error.value = null;
    try {
      return await start();
    } catch (caught) {
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      error.value = apiError;
      return null;
    } finally {
      busy.value = false;
    }
  }

  return {
    busy,
    error,
    syncNow: (connectionId) => guarded(() => api.call('syncTransactions', { params: { id: connectionId } })),
    retry: (connectionId, ids) =>
      guarded(() => api.call('retryTransactions', { params: { id: connectionId }, body: ids === 'all' ? { all: true } : { transactionIds: ids } })),
  };
}

/** Money from integer minor units, in the currency's own number of decimals (JPY 0, USD 2, KWD 3). */
export function formatMoney(minor: number, currency: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
