import { computed, inject, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError } from './use-resource.js';
import { sessionKey } from './use-session.js';

export interface UseUnlink {
  running: Ref<boolean>;
  progress: Ref<{ done: number; total: number }>;
  /** contactId → message, for contacts of the last run that could not be unlinked. */
  failures: ShallowRef<ReadonlyMap<string, string>>;
  succeeded: ComputedRef<number>;
  /** Unlinks each contact in turn; resolves with the ids that were unlinked. */
  run(connectionId: string, contactIds: readonly string[], reason: string): Promise<string[]>;
}

/** Unlinks several contacts from a connection, one request each, with progress and per-contact errors. */
export function useUnlink(): UseUnlink {
  const api = useApi();
  const session = inject(sessionKey, null);
  const running = ref(false);
  const progress = ref({ done: 0, total: 0 });
  const failures = shallowRef<ReadonlyMap<string, string>>(new Map());
  const done = ref<string[]>([]);

  async function run(connectionId: string, contactIds: readonly string[], reason: string): Promise<string[]> {
    if (running.value) return [];
    running.value = true;
    progress.value = { done: 0, total: contactIds.length };
    const failed = new Map<string, string>();
    const ok: string[] = [];
    failures.value = failed;
    const trimmed = reason.trim();
    try {
      for (const contactId of contactIds) {
        try {
          await api.deleteLink(connectionId, contactId, trimmed ? { reason: trimmed } : {});
          ok.push(contactId);
        } catch (caught) {
          const apiError = toApiClientError(caught);
          if (apiError.status === 401) {
            session?.expire();
            break;
          }
          failed.set(contactId, apiError.message);
          failures.value = new Map(failed);
        }
        progress.value = { done: progress.value.done + 1, total: contactIds.length };
      }
    } finally {
      running.value = false;
    }
    done.value = ok;
    return ok;
  }

  return { running, progress, failures, succeeded: computed(() => done.value.length), run };
}
