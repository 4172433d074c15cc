/**
 * Every queue, job name and payload in one place. Payloads carry ids only: the database is the
 * truth, so any job can be retried or replayed safely.
 */
export const QUEUES = {
  /** upload / update / link contacts */
  contacts: 'contacts',
  /** read remote contacts into the RemoteContact mirror */
  pull: 'pull',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  uploadContacts: 'upload-contacts',
  pullContacts: 'pull-contacts',
} as const;

export interface UploadContactsPayload {
  readonly workspaceId: string;
  readonly syncRunId: string;
  /** The user who asked for the upload (for the link audit trail). */
  readonly requestedBy: string | null;
}

export interface PullContactsPayload {
  readonly workspaceId: string;
  readonly connectionId: string;
  /** The SyncRun (kind `contact_pull`) that records the pull's progress. */
  readonly syncRunId: string;
}

export interface JobPayloads {
  readonly [JOBS.uploadContacts]: UploadContactsPayload;
  readonly [JOBS.pullContacts]: PullContactsPayload;
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JOBS.uploadContacts]: QUEUES.contacts,
  [JOBS.pullContacts]: QUEUES.pull,
};

/** Retry policy per job: `connector` backoff honours a provider's Retry-After. */
export const JOB_RETRY: Record<JobName, { readonly attempts: number }> = {
  [JOBS.uploadContacts]: { attempts: 6 },
  [JOBS.pullContacts]: { attempts: 5 },
};

/** Milliseconds to wait before attempt `attemptsMade + 1`. */
export function retryDelayMs(attemptsMade: number, error: unknown): number {
  const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && retryAfter > 0) return Math.min(retryAfter * 1000, 15 * 60_000);
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 60_000);
}
