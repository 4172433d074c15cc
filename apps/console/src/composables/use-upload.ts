import { ApiClientError } from '@ledgerlink/api-client';
import type { UploadStatus } from '@ledgerlink/contract';
import { computed, getCurrentScope, inject, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useApi } from './use-api.js';
import { toApiClientError } from './use-resource.js';
import { sessionKey } from './use-session.js';

export type UploadItemResult = UploadStatus['results'][number];

export interface UseUploadOptions {
  /** How long to wait between progress checks. */
  pollIntervalMs?: number;
  /**
   * Called once when the job has finished (completed or failed), e.g. to refresh the rows; the
   * upload counts as active until the promise it returns settles.
   */
  onFinished?: (status: UploadStatus) => void | Promise<void>;
}

export interface UseUpload {
  status: ShallowRef<UploadStatus | null>;
  error: Ref<ApiClientError | null>;
  /** An upload is being started or is still running. */
  active: ComputedRef<boolean>;
  /** Contacts of the running upload, until it has finished and `onFinished` has settled (failed ones drop out at once). */
  uploadingIds: ComputedRef<ReadonlySet<string>>;
  /** contactId → message, for items of the last upload that failed. */
  failures: ComputedRef<ReadonlyMap<string, string>>;
  progress: ComputedRef<{ done: number; total: number }>;
  start(connectionId: string, contactIds: readonly string[]): Promise<void>;
}

const GIVE_UP_AFTER_FAILED_CHECKS = 3;

function isFinished(status: UploadStatus): boolean {
  return status.state === 'completed' || status.state === 'failed';
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Starts an upload job and follows it by polling `getUpload` until it finishes. */
export function useUpload(options: UseUploadOptions = {}): UseUpload {
  const api = useApi();
  const session = inject(sessionKey, null);
  const interval = options.pollIntervalMs ?? 1000;
  const status = shallowRef<UploadStatus | null>(null);
  const requested = shallowRef<readonly string[]>([]);
  const error = ref<ApiClientError | null>(null);
  const starting = ref(false);
  const finishing = ref(false);
  const controller = new AbortController();
  if (getCurrentScope()) onScopeDispose(() => controller.abort());

  const active = computed(() => starting.value || finishing.value || (status.value !== null && !isFinished(status.value)));
  const resultsById = computed(() => new Map((status.value?.results ?? []).map((result) => [result.contactId, result])));
  const uploadingIds = computed<ReadonlySet<string>>(() =>
    active.value ? new Set(requested.value.filter((id) => resultsById.value.get(id)?.ok !== false)) : new Set(),
  );
  const failures = computed<ReadonlyMap<string, string>>(() => {
    const map = new Map<string, string>();
    for (const result of resultsById.value.values()) {
      if (!result.ok) map.set(result.contactId, result.error?.message ?? 'The upload of this contact failed.');
    }
    return map;
  });
  const progress = computed(() => ({ done: resultsById.value.size, total: status.value?.total ?? requested.value.length }));

  function fail(caught: unknown, prefix?: string): void {
    const apiError = toApiClientError(caught);
    if (apiError.status === 401) session?.expire();
    error.value = prefix
      ? new ApiClientError({ status: apiError.status, code: apiError.code, message: `${prefix}${apiError.message}`, fields: apiError.fields, cause: apiError })
      : apiError;
  }

  async function follow(connectionId: string): Promise<void> {
    let failedChecks = 0;
    while (status.value && !isFinished(status.value)) {
      await pause(interval, controller.signal);
      if (controller.signal.aborted) return;
      try {
        status.value = await api.getUpload(connectionId, status.value.uploadId, { signal: controller.signal });
        failedChecks = 0;
      } catch (caught) {
        if (controller.signal.aborted) return;
        failedChecks += 1;
        if (failedChecks >= GIVE_UP_AFTER_FAILED_CHECKS || (caught instanceof ApiClientError && caught.status === 401)) {
          fail(caught, 'Lost track of the upload; reload the page to see where it got to. ');
          requested.value = [];
          return;
        }
      }
    }
    if (!status.value || !options.onFinished) return;
    finishing.value = true;
    try {
      await options.onFinished(status.value);
    } finally {
      finishing.value = false;
    }
  }

  async function start(connectionId: string, contactIds: readonly string[]): Promise<void> {
    if (active.value) return;
    starting.value = true;
    error.value = null;
    status.value = null;
    requested.value = [...contactIds];
    try {
      status.value = await api.createUpload(connectionId, { contactIds: [...contactIds] }, { signal: controller.signal });
    } catch (caught) {
      if (!controller.signal.aborted) fail(caught);
      requested.value = [];
      return;
    } finally {
      starting.value = false;
    }
    await follow(connectionId);
  }

  return { status, error, active, uploadingIds, failures, progress, start };
}
