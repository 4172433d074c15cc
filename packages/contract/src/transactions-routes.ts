import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import {
  RemoteReadStatus,
  RemoteTransactionList,
  RetryTransactionsRequest,
  SyncRunDetail,
  SyncRunList,
  SyncRunListQuery,
  SyncRunView,
  TransactionDetail,
  TransactionList,
  TransactionListQuery,
  UpsertTransactionRequest,
} from './transactions.js';

const ConnectionParams = z.object({ id: z.string() });

/** Transactions from the host app, their sync to accounting connections (runs and batches), and remote transactions read back. Spread into `routes` (routes.ts). */
export const transactionRoutes = {
  upsertTransaction: {
    method: 'PUT', path: '/api/v1/transactions/:externalId', summary: "Create or update a transaction by the host app's id (money in integer minor units); the version moves only when it changes.",
    auth: 'session', params: z.object({ externalId: z.string().min(1).max(200) }), body: UpsertTransactionRequest, response: TransactionDetail,
  },
  listTransactions: {
    method: 'GET', path: '/api/v1/transactions', summary: 'Transactions with their sync state per connection, newest first, cursor-paged; filter by type, ready, contact or sync state.',
    auth: 'session', query: TransactionListQuery, response: TransactionList,
  },
  getTransaction: {
    method: 'GET', path: '/api/v1/transactions/:id', summary: 'A transaction with its sync state per connection (state, reason, fix action, remote id, deep link).',
    auth: 'session', params: z.object({ id: z.string() }), response: TransactionDetail,
  },
  syncTransactions: {
    method: 'POST', path: '/api/v1/connections/:id/transactions/sync', summary: '"Sync now": send every ready transaction that changed since its last sync to the connection, in batches (background job).',
    auth: 'session', params: ConnectionParams, response: SyncRunView, status: 202,
  },
  retryTransactions: {
    method: 'POST', path: '/api/v1/connections/:id/transactions/retry', summary: 'Retry failed (and uncertain) transactions of the connection, by id or all of them (background job).',
    auth: 'session', params: ConnectionParams, body: RetryTransactionsRequest, response: SyncRunView, status: 202,
  },
  listSyncRuns: {
    method: 'GET', path: '/api/v1/connections/:id/sync-runs', summary: "The connection's transaction sync runs, newest first, cursor-paged.",
    auth: 'session', params: ConnectionParams, query: SyncRunListQuery, response: SyncRunList,
  },
  getSyncRun: {
    method: 'GET', path: '/api/v1/connections/:id/sync-runs/:runId', summary: "A sync run's counts, its batches' progress and the items it held (reason and fix).",
    auth: 'session', params: z.object({ id: z.string(), runId: z.string() }), response: SyncRunDetail,
  },
  readRemoteTransactions: {
    method: 'POST', path: '/api/v1/connections/:id/remote-transactions/read', summary: "Read the accounting transactions of the connection's linked contacts (changes since the last read; background job).",
    auth: 'session', params: ConnectionParams, response: RemoteReadStatus, status: 202,
  },
  contactRemoteTransactions: {
    method: 'GET', path: '/api/v1/contacts/:id/remote-transactions', summary: "The accounting transactions of a contact's links, newest first, with deep links.",
    auth: 'session', params: z.object({ id: z.string() }), response: RemoteTransactionList,
  },
} as const satisfies Record<string, RouteDef>;
