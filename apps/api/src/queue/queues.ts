/**
 * Every queue, job name and payload in one place. Payloads carry ids only: the database is the
 * truth, so any job can be retried or replayed safely.
 */
export const QUEUES = {
  /** upload / update / link contacts */
  contacts: 'contacts',
  /** read remote contacts into the RemoteContact mirror */
  pull: 'pull',
  /** match local contacts with a connection's remote mirror */
  matching: 'matching',
  /** transaction sync runs: plan, push batches, read remote transactions back */
  transactions: 'transactions',
  /** bidirectional CRM sync: the change-feed poll tick and the writes to other linked connections (jobs in src/crm-sync) */
  crmSync: 'crm-sync',
  /** inbound webhook change events: re-read the remote record, update mirror and links (jobs in src/inbound) */
  inbound: 'inbound',
  /** repeatable per-connection pull schedules (jobs in src/schedules) */
  schedules: 'schedules',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  uploadContacts: 'upload-contacts',
  pullContacts: 'pull-contacts',
  matchContacts: 'match-contacts',
  planTransactionSync: 'plan-transaction-sync',
  pushTransactionBatch: 'push-transaction-batch',
  readRemoteTransactions: 'read-remote-transactions',
} as const;

export interface UploadContactsPayload {
  readonly workspaceId: string;
  readonly syncRunId: string;
  /** The user or API key that asked for the upload (for the link audit trail). */
  readonly requestedBy: string | null;
  /** `host` when an API key started the upload, `user` for a console session; absent on jobs queued before this field existed (then `user`). */
  readonly actorType?: 'user' | 'host';
}

export interface PullContactsPayload {
  readonly workspaceId: string;
  readonly connectionId: string;
  /** The SyncRun (kind `contact_pull`) that records the pull's progress. */
  readonly syncRunId: string;
}

export interface MatchContactsPayload {
  readonly workspaceId: string;
  readonly connectionId: string;
  /** The SyncRun (kind `contact_matching`) that records the run's counts. */
  readonly syncRunId: string;
}

export interface PlanTransactionSyncPayload {
  readonly workspaceId: string;
  /** The SyncRun (kind `transactions`) to plan into SyncBatches. */
  readonly syncRunId: string;
}

export interface PushTransactionBatchPayload {
  readonly workspaceId: string;
  readonly syncRunId: string;
  /** The SyncBatch to push (one provider request). */
  readonly batchId: string;
}

export interface ReadRemoteTransactionsPayload {
  readonly workspaceId: string;
  readonly connectionId: string;
  /** The SyncRun (kind `remote_transactions`) that records the read. */
  readonly syncRunId: string;
}

export interface JobPayloads {
  readonly [JOBS.uploadContacts]: UploadContactsPayload;
  readonly [JOBS.pullContacts]: PullContactsPayload;
  readonly [JOBS.matchContacts]: MatchContactsPayload;
  readonly [JOBS.planTransactionSync]: PlanTransactionSyncPayload;
  readonly [JOBS.pushTransactionBatch]: PushTransactionBatchPayload;
  readonly [JOBS.readRemoteTransactions]: ReadRemoteTransactionsPayload;
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JOBS.uploadContacts]: QUEUES.contacts,
  [JOBS.pullContacts]: QUEUES.pull,
  [JOBS.matchContacts]: QUEUES.matching,
  [JOBS.planTransactionSync]: QUEUES.transactions,
  [JOBS.pushTransactionBatch]: QUEUES.transactions,
  [JOBS.readRemoteTransactions]: QUEUES.transactions,
};

/** Retry policy per job: `connector` backoff honours a provider's Retry-After. */
export const JOB_RETRY: Record<JobName, { readonly attempts: number }> = {
  [JOBS.uploadContacts]: { attempts: 6 },
  [JOBS.pullContacts]: { attempts: 5 },
  [JOBS.matchContacts]: { attempts: 3 },
  [JOBS.planTransactionSync]: { attempts: 5 },
  [JOBS.pushTransactionBatch]: { attempts: 8 },
  [JOBS.readRemoteTransactions]: { attempts: 5 },
};

/** Milliseconds to wait before attempt `attemptsMade + 1`. */
export function retryDelayMs(attemptsMade: number, error: unknown): number {
  const retryAfter = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && retryAfter > 0) return Math.min(retryAfter * 1000, 15 * 60_000);
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 60_000);
}
