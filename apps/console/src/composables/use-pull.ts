import type { ApiClientError } from '@ledgerlink/api-client';
import type { PullStatus } from '@ledgerlink/contract';
import { getCurrentScope, inject, onScopeDispose, reactive } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError } from './use-resource.js';
import { sessionKey } from './use-session.js';

export interface PullState {
  status: PullStatus | null;
  error: ApiClientError | null;
  active: boolean;
}

export interface UsePulls {
  /** connectionId → the last pull started from this screen. */
  pulls: Record<string, PullState>;
  start(connectionId: string): Promise<void>;
}

const finished = (s: PullStatus): boolean => s.state === 'completed' || s.state === 'failed';

/** "Refresh from <provider>": starts a mirror pull per connection and follows it with `getPull`. */
export function usePulls(options: { pollIntervalMs?: number } = {}): UsePulls {
  const api = useApi();
  const session = inject(sessionKey, null);
  const interval = options.pollIntervalMs ?? 1000;
  const pulls = reactive<Record<string, PullState>>({});
  const controller = new AbortController();
  if (getCurrentScope()) onScopeDispose(() => controller.abort());

  const wait = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, interval);
      controller.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });

  async function start(connectionId: string): Promise<void> {
    if (pulls[connectionId]?.active) return;
    pulls[connectionId] = { status: null, error: null, active: true };
    const entry = pulls[connectionId];
    try {
      entry.status = await api.startPull(connectionId, { signal: controller.signal });
      while (!finished(entry.status)) {
        await wait();
        if (controller.signal.aborted) return;
        entry.status = await api.getPull(connectionId, entry.status.pullId, { signal: controller.signal });
      }
    } catch (caught) {
      if (controller.signal.aborted) return;
      const apiError = toApiClientError(caught);
      if (apiError.status === 401) session?.expire();
      entry.error = apiError;
    } finally {
      entry.active = false;
    }
  }

  return { pulls, start };
}
