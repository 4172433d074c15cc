import { Injectable } from '@nestjs/common';
import {
  type RemoteReadStatus,
  type RemoteTransactionList,
  type RetryTransactionsRequest,
  type SyncRunDetail,
  type SyncRunList,
  SyncRunListQuery,
  type SyncRunView,
  type TransactionDetail,
  type TransactionList,
  TransactionListQuery,
  type TransactionSyncView,
  type TransactionView,
} from '@ledgerlink/contract';
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { ApiErrors } from '../common/api-error.js';
import { JsonLogger } from '../common/json-logger.js';
import type { AuthContext } from '../auth/auth.context.js';
import { ConnectionsRepository } from '../connections/connections.repository.js';
import { ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { JOBS } from '../queue/queues.js';
import { readBatchResults, readRunResults, type RunInput } from '../sync/sync-results.js';
import { TransactionQueue } from '../sync/transaction-queue.service.js';
import { toCanonicalTransaction, transactionHash, type UpsertTransactionBody } from './transaction-content.js';
import { type RunRow, type SyncRow, type TransactionFields, type TransactionRow, TransactionsRepository } from './transactions.repository.js';
import { assertUsable } from '../connections/usable.js';

export type TransactionQuery = z.output<typeof TransactionListQuery>;
export type RunQuery = z.output<typeof SyncRunListQuery>;

type DeepLinkEntity = Parameters<OpenConnection['session']['deepLink']>[0];
const DEEP_LINKABLE: ReadonlySet<string> = new Set(['invoice', 'bill', 'payment']);

/** Transactions from the host app and their sync (the HTTP side). */
@Injectable()
export class TransactionsService {
  constructor(
    private readonly repo: TransactionsRepository,
    private readonly connections: ConnectionsRepository,
    private readonly host: ConnectorHostService,
    private readonly queue: TransactionQueue,
    private readonly logger: JsonLogger,
  ) {}

  /** Create or update by the host app's id; the version moves only when the content changes. */
  async upsert(workspaceId: string, externalId: string, body: UpsertTransactionBody): Promise<TransactionDetail> {
    const contact = await this.repo.contactByExternalId(workspaceId, body.contactExternalId);
    if (!contact) {
      throw ApiErrors.invalid('The transaction names a contact the hub does not know.', [
        { path: 'contactExternalId', message: `"${body.contactExternalId}" is not a contact in this workspace: create it first with PUT /api/v1/contacts/${encodeURIComponent(body.contactExternalId)}` },
      ]);
    }
    const canonical = toCanonicalTransaction(body);
    const fields: TransactionFields = {
      type: canonical.type,
      contactId: contact.id,
      number: canonical.number ?? null,
      issueDate: canonical.issueDate,
      currency: canonical.currency,
      total: BigInt(canonical.total),
      ready: body.ready,
      data: canonical as unknown as Prisma.InputJsonValue,
      contentHash: transactionHash(canonical, contact.id),
    };
    let row = await this.repo.findByExternalId(workspaceId, externalId);
    if (!row) {
      try {
        row = await this.repo.create(workspaceId, externalId, fields);
      } catch (error) {
        // Two requests created the same external id at once: the other one won; update it.
        row = await this.repo.findByExternalId(workspaceId, externalId);
        if (!row) throw error;
      }
    }
    if (row.contentHash !== fields.contentHash) row = await this.repo.updateContent(workspaceId, row.id, fields);
    else if (row.ready !== fields.ready) row = await this.repo.setReady(workspaceId, row.id, fields.ready);
    return this.detail(workspaceId, row);
  }

  async list(auth: AuthContext, query: TransactionQuery): Promise<TransactionList> {
    if (query.syncState && !query.connectionId) {
      throw ApiErrors.invalid('syncState needs the connection it applies to.', [{ path: 'connectionId', message: 'give connectionId together with syncState' }]);
    }
    const filter = { type: query.type, ready: query.ready, contactId: query.contactId };
    const page = { limit: query.limit + 1, ...(query.cursor ? { cursor: query.cursor } : {}) };
    const rows =
      query.syncState && query.connectionId
        ? await this.repo.listBySyncState(auth.workspaceId, { ...filter, sync: { connectionId: query.connectionId, state: query.syncState } }, page)
        : await this.repo.list(auth.workspaceId, filter, page);
    const more = rows.length > query.limit;
    const pageRows = rows.slice(0, query.limit);
    return { items: await this.views(auth.workspaceId, pageRows), nextCursor: more ? (pageRows[pageRows.length - 1]?.id ?? null) : null };
  }

  async get(auth: AuthContext, id: string): Promise<TransactionDetail> {
    const row = await this.repo.find(auth.workspaceId, id);
    if (!row) throw ApiErrors.notFound(`Transaction ${id}`);
    return this.detail(auth.workspaceId, row);
  }

  /** "Sync now": a SyncRun of kind transactions; while one is queued or running for the connection, that one is answered. */
  async sync(auth: AuthContext, connectionId: string): Promise<SyncRunView> {
    await this.usableConnection(auth.workspaceId, connectionId);
    const active = await this.repo.activeRun(auth.workspaceId, connectionId, 'transactions');
    if (active) return toRunView(active);
    return this.startRun(auth, connectionId, { mode: 'sync' });
  }

  async retry(auth: AuthContext, connectionId: string, body: RetryTransactionsRequest): Promise<SyncRunView> {
    await this.usableConnection(auth.workspaceId, connectionId);
    const ids = body.transactionIds ? [...new Set(body.transactionIds)] : null;
    const retryable = await this.repo.retryable(auth.workspaceId, connectionId, ids);
    if (ids) {
      const ok = new Set(retryable.map((s) => s.transactionId));
      const wrong = ids.flatMap((id, index) => (ok.has(id) ? [] : [{ path: `transactionIds.${index}`, message: `"${id}" has no failed or uncertain sync on this connection: only those are retried (blocked ones need their fix first)` }]));
      if (wrong.length > 0) throw ApiErrors.invalid(`${wrong.length} of the transactions cannot be retried.`, wrong);
    }
    if (retryable.length === 0) throw ApiErrors.conflict('Nothing to retry: no transaction failed on this connection.');
    return this.startRun(auth, connectionId, { mode: 'retry', transactionIds: ids });
  }

  async runs(auth: AuthContext, connectionId: string, query: RunQuery): Promise<SyncRunList> {
    await this.connection(auth.workspaceId, connectionId);
    const rows = await this.repo.listRuns(auth.workspaceId, connectionId, 'transactions', { limit: query.limit + 1, ...(query.cursor ? { cursor: query.cursor } : {}) });
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    return { items: page.map(toRunView), nextCursor: more ? (page[page.length - 1]?.id ?? null) : null };
  }

  async run(auth: AuthContext, connectionId: string, runId: string): Promise<SyncRunDetail> {
    const run = await this.repo.findRun(auth.workspaceId, runId, connectionId);
    if (!run || run.kind !== 'transactions') throw ApiErrors.notFound(`Sync run ${runId}`);
    const batches = await this.repo.batches(auth.workspaceId, run.id);
    const running = batches.filter((b) => b.state === 'running');
    // Live counts of batches in flight (the run's own counts roll up as each batch saves).
    const view = toRunView(run);
    return {
      ...view,
      batches: batches.map((b) => ({
        id: b.id,
        seq: b.seq,
        state: toRunState(b.state),
        total: b.total,
        succeeded: running.includes(b) ? readBatchResults(b.results).filter((r) => r.state === 'synced').length : b.succeeded,
        failed: b.failed,
        startedAt: b.startedAt?.toISOString() ?? null,
        finishedAt: b.finishedAt?.toISOString() ?? null,
      })),
      held: readRunResults(run.results).held,
    };
  }

  /** Reads the connection's linked contacts' accounting transactions now (a background job). */
  async readRemote(auth: AuthContext, connectionId: string): Promise<RemoteReadStatus> {
    await this.usableConnection(auth.workspaceId, connectionId);
    const active = await this.repo.activeRun(auth.workspaceId, connectionId, 'remote_transactions');
    const run = active ?? (await this.repo.createRun({ workspaceId: auth.workspaceId, connectionId, kind: 'remote_transactions', trigger: auth.via === 'api_key' ? 'api' : 'manual', input: {} }));
    await this.enqueue(run, () => this.queue.add(JOBS.readRemoteTransactions, { workspaceId: auth.workspaceId, connectionId, syncRunId: run.id }, { jobId: `read-${run.id}` }));
    return { connectionId, runId: run.id, state: toRunState(run.state) };
  }

  async contactRemote(auth: AuthContext, contactId: string): Promise<RemoteTransactionList> {
    const contact = await this.repo.contact(auth.workspaceId, contactId);
    if (!contact) throw ApiErrors.notFound(`Contact ${contactId}`);
    const links = (await this.repo.contactLinks(auth.workspaceId, contactId)).flatMap((l) => (l.remoteId ? [{ connectionId: l.connectionId, remoteId: l.remoteId }] : []));
    const rows = await this.repo.remoteForContacts(auth.workspaceId, links);
    const connectionIds = [...new Set(links.map((l) => l.connectionId))];
    const open = await this.host.openForDisplay(auth.workspaceId, connectionIds);
    const local = new Map(
      (
        await this.repo.syncsByRemoteIds(
          auth.workspaceId,
          connectionIds,
          rows.map((r) => r.remoteId),
        )
      ).map((s) => [`${s.connectionId}/${s.remoteId ?? ''}`, s.transactionId]),
    );
    const readAt = await Promise.all(
      connectionIds.map(async (connectionId) => ({ connectionId, at: (await this.repo.lastCompletedRun(auth.workspaceId, connectionId, 'remote_transactions'))?.finishedAt?.toISOString() ?? null })),
    );
    return {
      items: rows.map((r) => ({
        connectionId: r.connectionId,
        connectorId: open.get(r.connectionId)?.connector.definition.id ?? 'unknown',
        remoteId: r.remoteId,
        type: r.type as TransactionView['type'],
        number: r.number,
        status: r.status as RemoteTransactionList['items'][number]['status'],
        currency: r.currency,
        total: Number(r.total),
        amountDue: r.amountDue === null ? null : Number(r.amountDue),
        issueDate: r.issueDate,
        deepLink: r.deepLink ?? safeDeepLink(open.get(r.connectionId), r.type, r.remoteId),
        transactionId: local.get(`${r.connectionId}/${r.remoteId}`) ?? null,
        syncedAt: r.syncedAt.toISOString(),
      })),
      readAt,
    };
  }

  // ---------------------------------------------------------------- helpers

  private async startRun(auth: AuthContext, connectionId: string, input: RunInput): Promise<SyncRunView> {
    const run = await this.repo.createRun({ workspaceId: auth.workspaceId, connectionId, kind: 'transactions', trigger: auth.via === 'api_key' ? 'api' : 'manual', input: input as unknown as Prisma.InputJsonValue });
    await this.enqueue(run, () => this.queue.add(JOBS.planTransactionSync, { workspaceId: auth.workspaceId, syncRunId: run.id }, { jobId: `plan-${run.id}` }));
    return toRunView(run);
  }

  private async enqueue(run: RunRow, add: () => Promise<void>): Promise<void> {
    try {
      await add();
    } catch (error) {
      this.logger.error('could not enqueue a transaction job', { syncRunId: run.id, error: (error as Error).message });
      await this.repo.updateRun(run.workspaceId, run.id, { state: 'failed', finishedAt: new Date(), results: { held: [], unchanged: 0, error: 'The job queue (Redis) did not answer' } });
      throw ApiErrors.unavailable('The job queue (Redis) is not answering, so the sync could not start: try again in a moment.');
    }
  }

  private async connection(workspaceId: string, connectionId: string) {
    const connection = await this.connections.find(workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    return connection;
  }

  private async usableConnection(workspaceId: string, connectionId: string) {
    const connection = await this.connection(workspaceId, connectionId);
    assertUsable(connection, 'syncing');
    return connection;
  }

  private async detail(workspaceId: string, row: TransactionRow): Promise<TransactionDetail> {
    const [view] = await this.views(workspaceId, [row]);
    if (!view) throw new Error('transaction vanished');
    return { ...view, data: row.data as Record<string, unknown> };
  }

  private async views(workspaceId: string, rows: readonly TransactionRow[]): Promise<TransactionView[]> {
    if (rows.length === 0) return [];
    const syncs = await this.repo.syncsFor(
      workspaceId,
      rows.map((r) => r.id),
    );
    const contacts = new Map((await this.repo.contactsByIds(workspaceId, [...new Set(rows.map((r) => r.contactId))])).map((c) => [c.id, c]));
    const open = await this.host.openForDisplay(workspaceId, [...new Set(syncs.map((s) => s.connectionId))]);
    const byTx = new Map<string, SyncRow[]>();
    for (const s of syncs) byTx.set(s.transactionId, [...(byTx.get(s.transactionId) ?? []), s]);
    return rows.map((row) => {
      const contact = contacts.get(row.contactId);
      return {
        id: row.id,
        externalId: row.externalId,
        type: row.type as TransactionView['type'],
        contactId: row.contactId,
        contactExternalId: contact?.externalId ?? '',
        contactName: contact?.displayName ?? '',
        number: row.number,
        issueDate: row.issueDate,
        currency: row.currency,
        total: Number(row.total),
        ready: row.ready,
        version: row.version,
        updatedAt: row.updatedAt.toISOString(),
        sync: (byTx.get(row.id) ?? []).map((s) => toSyncView(s, row, open.get(s.connectionId))),
      };
    });
  }
}

function toSyncView(s: SyncRow, row: TransactionRow, connection: OpenConnection | undefined): TransactionSyncView {
  return {
    connectionId: s.connectionId,
    connectorId: connection?.connector.definition.id ?? 'unknown',
    state: s.state as TransactionSyncView['state'],
    reason: s.reason,
    fixAction: s.fixAction as TransactionSyncView['fixAction'],
    remoteId: s.remoteId,
    deepLink: s.remoteId ? safeDeepLink(connection, row.type, s.remoteId) : null,
    attempts: s.attempts,
    changedSinceSync: s.lastPushedHash !== null && s.lastPushedHash !== row.contentHash,
    lastRunId: s.lastRunId,
    syncedAt: s.syncedAt?.toISOString() ?? null,
    updatedAt: s.updatedAt.toISOString(),
  };
}

function toRunState(state: string): SyncRunView['state'] {
  return state === 'running' || state === 'completed' || state === 'failed' ? state : 'queued';
}

export function toRunView(run: RunRow): SyncRunView {
  const results = readRunResults(run.results);
  return {
    id: run.id,
    connectionId: run.connectionId,
    kind: run.kind,
    trigger: run.trigger,
    state: toRunState(run.state),
    total: run.total,
    succeeded: run.succeeded,
    failed: run.failed,
    blocked: results.held.length,
    unchanged: results.unchanged,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

function safeDeepLink(connection: OpenConnection | undefined, type: string, remoteId: string): string | null {
  if (!connection || !DEEP_LINKABLE.has(type)) return null;
  try {
    return connection.session.deepLink(type as DeepLinkEntity, remoteId) ?? null;
  } catch {
    return null;
  }
}
