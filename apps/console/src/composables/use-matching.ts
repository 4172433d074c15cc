import type { ApiClientError } from '@ledgerlink/api-client';
import type { MatchingRunStatus, SuggestionDecision, SuggestionDecisionResult, SuggestionList } from '@ledgerlink/contract';
import { computed, getCurrentScope, inject, onScopeDispose, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError, useResource, type Resource } from './use-resource.js';
import { sessionKey } from './use-session.js';

export interface UseSuggestions extends Resource<SuggestionList> {
  page: Ref<number>;
  pageCount: ComputedRef<number>;
}

/** One page of a connection's pending match suggestions; reloads when the connection or page changes. */
export function useSuggestions(connectionId: Ref<string | null>, options: { pageSize?: number } = {}): UseSuggestions {
  const api = useApi();
  const pageSize = options.pageSize ?? 25;
  const page = ref(1);
  const resource = useResource(async (signal) => {
    const id = connectionId.value;
    if (!id) return { items: [], total: 0, page: 1, pageSize };
    return api.listSuggestions(id, { page: page.value, pageSize }, { signal });
  });
  const pageCount = computed(() => {
    const data = resource.data.value;
    return data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  });
  watch(connectionId, () => {
    page.value = 1;
  });
  watch([connectionId, page], () => void resource.reload(), { immediate: true });
  return { ...resource, page, pageCount };
}

export interface UseMatchingRun {
  /** The last run started here, as last read from the API. */
  status: ShallowRef<MatchingRunStatus | null>;
  error: Ref<ApiClientError | null>;
  /** True from "Run matching" until the run has completed or failed. */
  active: Ref<boolean>;
  start(connectionId: string): Promise<MatchingRunStatus | null>;
}

const finished = (s: MatchingRunStatus): boolean => s.state === 'completed' || s.state === 'failed';

/** "Run matching": starts a run and follows it with `getMatchingRun` until it ends. */
export function useMatchingRun(options: { pollIntervalMs?: number } = {}): UseMatchingRun {
  const api = useApi();
  const session = inject(sessionKey, null);
  const interval = options.pollIntervalMs ?? 1000;
  const status = shallowRef<MatchingRunStatus | null>(null);
  const error = ref<ApiClientError | null>(null);
  const active = ref(false);
  const controller = new AbortController();
  if (getCurrentScope()) onScopeDispose(() => controller.abort());

  const wait = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, interval);
      controller.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });

  async function start(connectionId: string): Promise<MatchingRunStatus | null> {
    if (active.value) return null;
    active.value = true;
    status.value = null;
    error.value = null;
    try {
      let current = await api.startMatching(connectionId, { signal: controller.signal });
      status.value = current;
      while (!finished(current)) {
        await wait();
        if (controller.signal.aborted) return null;
        current = await api.getMatchingRun(connectionId, current.runId, { signal: controller.signal });
        status.value = current;
      }
      return current;
    } catch (caught) {
      if (controller.signal.aborted) return null;
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      error.value = apiError;
      return null;
    } finally {
      active.value = false;
    }
  }

  return { status, error, active, start };
}

export interface UseDecisions {
  deciding: Ref<boolean>;
  error: Ref<ApiClientError | null>;
  /** suggestionId → why the API refused that decision. */
  failures: Ref<Map<string, string>>;
  /** Sends the decisions (in requests of at most 500); returns the results that succeeded. */
  decide(connectionId: string, decisions: SuggestionDecision[]): Promise<SuggestionDecisionResult[]>;
}

/** Accept or reject suggestions, keeping each refusal by suggestion so the screen can show it in place. */
export function useDecisions(): UseDecisions {
  const api = useApi();
  const session = inject(sessionKey, null);
  const deciding = ref(false);
  const error = ref<ApiClientError | null>(null);
  const failures = ref(new Map<string, string>());

  async function decide(connectionId: string, decisions: SuggestionDecision[]): Promise<SuggestionDecisionResult[]> {
    if (decisions.length === 0 || deciding.value) return [];
    deciding.value = true;
    error.value = null;
    const next = new Map(failures.value);
    for (const d of decisions) next.delete(d.suggestionId);
    const done: SuggestionDecisionResult[] = [];
    try {
      for (let i = 0; i < decisions.length; i += 500) {
        const { results } = await api.decideSuggestions(connectionId, { decisions: decisions.slice(i, i + 500) });
        for (const result of results) {
          if (result.ok) done.push(result);
          else next.set(result.suggestionId, result.error ?? 'The API refused this decision.');
        }
      }
    } catch (caught) {
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      error.value = apiError;
    } finally {
      failures.value = next;
      deciding.value = false;
    }
    return done;
  }

  return { deciding, error, failures, decide };
}
