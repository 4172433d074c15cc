import { z } from 'zod';

/** Money in the API is always integer minor units of the transaction's currency (1234 = 12.34 USD). */
const Minor = (what: string) => z.number().int(`${what} must be a whole number of minor units (cents): send 1234 for 12.34`);

export const TransactionType = z.enum(['invoice', 'bill', 'payment', 'bill_payment', 'credit_note', 'sales_receipt', 'estimate']);
export type TransactionType = z.infer<typeof TransactionType>;

export const TransactionStatus = z.enum(['draft', 'open', 'partially_paid', 'paid', 'void']);

export const TransactionLineInput = z.object({
  description: z.string().max(4000).optional(),
  quantity: z.number().finite().default(1),
  unitAmount: Minor('unitAmount'),
  amount: Minor('amount'),
  taxAmount: Minor('taxAmount').optional(),
  itemCode: z.string().max(100).optional(),
  accountCode: z.string().max(100).optional(),
  taxCode: z.string().max(100).optional(),
});

/**
 * Body of PUT /api/v1/transactions/:externalId: the canonical Transaction (connector-sdk model),
 * the host app's id of the contact it belongs to, and whether it is ready to sync.
 */
export const UpsertTransactionRequest = z.object({
  type: TransactionType,
  /** The host app's id of the contact (as in PUT /api/v1/contacts/:externalId). */
  contactExternalId: z.string().min(1).max(200),
  /** Ready transactions are what "Sync now" sends; default false (a draft kept in the hub only). */
  ready: z.boolean().default(false),
  number: z.string().max(21).optional(),
  issueDate: z.iso.date('issueDate must be a date as YYYY-MM-DD'),
  dueDate: z.iso.date('dueDate must be a date as YYYY-MM-DD').optional(),
  currency: z.string().length(3, 'currency must be a 3-letter ISO 4217 code such as USD').toUpperCase(),
  lines: z.array(TransactionLineInput).max(1000).default([]),
  subtotal: Minor('subtotal').optional(),
  taxTotal: Minor('taxTotal').optional(),
  total: Minor('total'),
  amountDue: Minor('amountDue').optional(),
  paymentTerms: z.string().max(100).optional(),
  reference: z.string().max(255).optional(),
  memo: z.string().max(4000).optional(),
  status: TransactionStatus.default('open'),
  customFields: z.record(z.string(), z.string()).default({}),
});
export type UpsertTransactionRequest = z.input<typeof UpsertTransactionRequest>;

export const TransactionSyncState = z.enum(['pending', 'synced', 'blocked', 'failed', 'uncertain']);
export type TransactionSyncState = z.infer<typeof TransactionSyncState>;

/** What fixes a blocked or failed item. */
export const FixAction = z.enum(['link_contact', 'relink_contact', 'fix_mapping', 'fix_data', 'retry', 'reconnect']);
export type FixAction = z.infer<typeof FixAction>;

/** A transaction's state on one connection. */
export const TransactionSyncView = z.object({
  connectionId: z.string(),
  connectorId: z.string(),
  state: TransactionSyncState,
  reason: z.string().nullable(),
  fixAction: FixAction.nullable(),
  remoteId: z.string().nullable(),
  /** A link into the accounting system's web app, when it has one. */
  deepLink: z.string().nullable(),
  attempts: z.number().int(),
  /** True when the transaction changed since it was last sent. */
  changedSinceSync: z.boolean(),
  lastRunId: z.string().nullable(),
  syncedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type TransactionSyncView = z.infer<typeof TransactionSyncView>;

export const TransactionView = z.object({
  id: z.string(),
  externalId: z.string(),
  type: TransactionType,
  contactId: z.string(),
  contactExternalId: z.string(),
  contactName: z.string(),
  number: z.string().nullable(),
  issueDate: z.string(),
  currency: z.string(),
  /** Minor units. */
  total: z.number().int(),
  ready: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
  /** One entry per connection this transaction was planned for (none before its first sync). */
  sync: z.array(TransactionSyncView),
});
export type TransactionView = z.infer<typeof TransactionView>;

export const TransactionDetail = TransactionView.extend({
  /** The canonical Transaction as stored (minor units). */
  data: z.record(z.string(), z.unknown()),
});
export type TransactionDetail = z.infer<typeof TransactionDetail>;

export const TransactionListQuery = z.object({
  type: TransactionType.optional(),
  ready: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Local contact id. */
  contactId: z.string().max(64).optional(),
  /** With syncState: the connection whose state filters. */
  connectionId: z.string().max(64).optional(),
  /** Only transactions in this state on `connectionId` (required with it). */
  syncState: TransactionSyncState.optional(),
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type TransactionListQuery = z.input<typeof TransactionListQuery>;

export const TransactionList = z.object({
  items: z.array(TransactionView),
  /** Pass as `cursor` for the next page; null on the last page. Newest first. */
  nextCursor: z.string().nullable(),
});
export type TransactionList = z.infer<typeof TransactionList>;

export const SyncRunState = z.enum(['queued', 'running', 'completed', 'failed']);

export const SyncBatchView = z.object({
  id: z.string(),
  seq: z.number().int(),
  state: SyncRunState,
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type SyncBatchView = z.infer<typeof SyncBatchView>;

export const SyncRunView = z.object({
  id: z.string(),
  connectionId: z.string(),
  kind: z.string(),
  trigger: z.string(),
  state: SyncRunState,
  /** Items planned into batches (held ones are counted in `blocked`). */
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  /** Items held by the plan (unlinked contact, invalid link, mapping problem), each with a reason and a fix. */
  blocked: z.number().int(),
  /** Ready items skipped because they were already synced unchanged. */
  unchanged: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type SyncRunView = z.infer<typeof SyncRunView>;

export const SyncItemResult = z.object({
  transactionId: z.string(),
  state: TransactionSyncState,
  remoteId: z.string().nullable(),
  reason: z.string().nullable(),
  fixAction: FixAction.nullable(),
});
export type SyncItemResult = z.infer<typeof SyncItemResult>;

export const SyncRunDetail = SyncRunView.extend({
  batches: z.array(SyncBatchView),
  /** Held items of the run, with reason and fix. */
  held: z.array(SyncItemResult),
});
export type SyncRunDetail = z.infer<typeof SyncRunDetail>;

export const SyncRunListQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SyncRunListQuery = z.input<typeof SyncRunListQuery>;

export const SyncRunList = z.object({ items: z.array(SyncRunView), nextCursor: z.string().nullable() });
export type SyncRunList = z.infer<typeof SyncRunList>;

/** Either `transactionIds` (those, when they failed) or `all: true` (every failed and uncertain one). */
export const RetryTransactionsRequest = z
  .object({
    transactionIds: z.array(z.string().min(1).max(64)).min(1, 'list at least one transaction id').max(1000).optional(),
    all: z.literal(true, 'all must be true (or leave it out and list transactionIds)').optional(),
  })
  .refine((v) => (v.transactionIds === undefined) !== (v.all === undefined), {
    message: 'send either transactionIds (a list of ids) or {"all": true}, not both and not neither',
    path: ['transactionIds'],
  });
export type RetryTransactionsRequest = z.infer<typeof RetryTransactionsRequest>;

export const RemoteTransactionView = z.object({
  connectionId: z.string(),
  connectorId: z.string(),
  remoteId: z.string(),
  type: TransactionType,
  number: z.string().nullable(),
  status: z.enum(['draft', 'open', 'partially_paid', 'paid', 'void', 'deleted']),
  currency: z.string(),
  total: z.number().int(),
  amountDue: z.number().int().nullable(),
  issueDate: z.string().nullable(),
  deepLink: z.string().nullable(),
  /** The hub transaction this remote one was synced from, if any. */
  transactionId: z.string().nullable(),
  syncedAt: z.string(),
});
export type RemoteTransactionView = z.infer<typeof RemoteTransactionView>;

export const RemoteTransactionList = z.object({
  items: z.array(RemoteTransactionView),
  /** When each connection was last read (ISO), null if never. */
  readAt: z.array(z.object({ connectionId: z.string(), at: z.string().nullable() })),
});
export type RemoteTransactionList = z.infer<typeof RemoteTransactionList>;

export const RemoteReadStatus = z.object({ connectionId: z.string(), runId: z.string(), state: SyncRunState });
export type RemoteReadStatus = z.infer<typeof RemoteReadStatus>;
