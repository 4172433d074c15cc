import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SyncItemResult } from '@ledgerlink/contract';
import {
  type ConnectorErrorData,
  type ItemResult,
  isConnectorError,
  type PushedTransaction,
  type PushTransactionItem,
  type RemoteTransaction,
  Transaction,
  type TransactionsApi,
} from '@ledgerlink/connector-sdk';
import { type BatchItem, type FieldMapping, type LinkFact, type LinkState, type MappingProblem, planBatches, selectMappingVersion, validateMapping } from '@ledgerlink/core';
import type { Prisma } from '../generated/prisma/client.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import type { Attempt } from '../queue/queue.decorators.js';
import { JOBS, type PlanTransactionSyncPayload, type PushTransactionBatchPayload } from '../queue/queues.js';
import { type BatchRow, type RunRow, type SyncRow, type TransactionRow, TransactionsRepository } from '../transactions/transactions.repository.js';
import { RateBudgetService } from './rate-budget.service.js';
import { FINAL_STATES, FIX_FOR_HOLD, readBatchItems, readBatchResults, readRunInput, type RunResults } from './sync-results.js';
import { TransactionQueue } from './transaction-queue.service.js';

/** Thrown to let the queue retry the job later (with backoff); finished items are kept. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

const TYPE_LABEL: Record<string, string> = {
  invoice: 'Invoice',
  bill: 'Bill',
  payment: 'Payment',
  bill_payment: 'Bill payment',
  credit_note: 'Credit note',
  sales_receipt: 'Sales receipt',
  estimate: 'Estimate',
};

const labelOf = (tx: Pick<TransactionRow, 'type' | 'number' | 'externalId'>) => `${TYPE_LABEL[tx.type] ?? tx.type} ${tx.number ?? tx.externalId}`;

const PLAN_PAGE = 2_000;

interface Prepared {
  readonly sync: SyncRow;
  readonly tx: TransactionRow;
  readonly item: PushTransactionItem;
}

interface BatchContext {
  readonly workspaceId: string;
  readonly batch: BatchRow;
  readonly open: OpenConnection;
  readonly api: TransactionsApi;
  readonly provider: string;
  readonly tenantKey: string;
  readonly results: Map<string, SyncItemResult>;
  /** Items that hit a retryable failure in this attempt. */
  readonly retry: Map<string, ConnectorErrorData>;
}

/**
 * The transaction sync engine. A run is planned once (core's planBatches: per connection, contact
 * link → documents → payments, split by the connector's batch size; blocked items held with a
 * reason and a fix) into SyncBatch rows; each batch is one Bull job and one provider request,
 * taken from the tenant's shared rate budget. Idempotency keys are persisted before the provider
 * is called, unchanged content is never re-sent, and an `uncertain` write is looked up with
 * transactions.find() before it is sent again.
 */
@Injectable()
export class SyncRunner {
  constructor(
    private readonly repo: TransactionsRepository,
    private readonly host: ConnectorHostService,
    private readonly budget: RateBudgetService,
    private readonly queue: TransactionQueue,
    private readonly logger: JsonLogger,
  ) {}

  // ---------------------------------------------------------------- planning

  async plan(payload: PlanTransactionSyncPayload, attempt: Attempt): Promise<void> {
    const { workspaceId, syncRunId } = payload;
    const run = await this.repo.findRun(workspaceId, syncRunId);
    if (!run || run.kind !== 'transactions' || run.state === 'completed' || run.state === 'failed') return;
    const existing = await this.repo.batches(workspaceId, run.id);
    if (run.state === 'running' && existing.length > 0) {
      // A crash after planning: carry on from the first unfinished batch.
      await this.continueFrom(run, existing);
      return;
    }
    await this.repo.claimRun(workspaceId, run.id);

    let open: OpenConnection;
    try {
      open = await this.host.open(workspaceId, run.connectionId);
    } catch (error) {
      if (!(error instanceof ConnectionUnusableError) && !attempt.isLast) throw error;
      await this.failRun(run, `The connection cannot be used: ${(error as Error).message}`);
      return;
    }
    const { definition } = open.connector;
    if (!open.session.transactions) {
      await this.failRun(run, `${definition.displayName} does not take transactions.`);
      return;
    }
    const supported = new Set<string>(definition.capabilities.transactionTypes ?? []);
    const problemsByType = await this.mappingProblems(workspaceId, run.connectionId, open);

    const input = readRunInput(run.input);
    const candidates: { tx: TransactionRow; sync: SyncRow | undefined }[] = [];
    let unchanged = 0;
    const consider = async (rows: readonly TransactionRow[]) => {
      const syncs = new Map(
        (await this.repo.syncsFor(
          workspaceId,
          rows.map((r) => r.id),
        ))
          .filter((s) => s.connectionId === run.connectionId)
          .map((s) => [s.transactionId, s]),
      );
      for (const tx of rows) {
        const sync = syncs.get(tx.id);
        if (sync?.state === 'synced' && sync.lastPushedHash === tx.contentHash) unchanged++;
        else candidates.push({ tx, sync });
      }
    };
    if (input.mode === 'retry') {
      const retryable = await this.repo.retryable(workspaceId, run.connectionId, input.transactionIds);
      await consider(await this.repo.findByIds(workspaceId, retryable.map((s) => s.transactionId)));
    } else {
      for (let after: string | null = null; ; ) {
        const page = await this.repo.readyPage(workspaceId, after, PLAN_PAGE);
        if (page.length === 0) break;
        await consider(page);
        after = page[page.length - 1]?.id ?? null;
        if (page.length < PLAN_PAGE) break;
      }
    }

    const contactIds = [...new Set(candidates.map((c) => c.tx.contactId))];
    const contacts = new Map((await this.repo.contactsByIds(workspaceId, contactIds)).map((c) => [c.id, c]));
    const links: LinkFact[] = (await this.repo.linksFor(workspaceId, run.connectionId, contactIds)).map((l) => ({
      connectionId: run.connectionId,
      contactId: l.contactId,
      state: toLinkState(l.state),
      remoteId: l.remoteId,
      reason: l.reason,
    }));
    const held: SyncItemResult[] = [];
    const items: BatchItem[] = [];
    const byId = new Map(candidates.map((c) => [c.tx.id, c]));
    for (const { tx } of candidates) {
      if (!supported.has(tx.type)) {
        held.push({ transactionId: tx.id, state: 'blocked', remoteId: null, reason: `${definition.displayName} does not take ${TYPE_LABEL[tx.type]?.toLowerCase() ?? tx.type}s: mark it not ready, or sync it to another connection`, fixAction: 'fix_data' });
        continue;
      }
      const problems = problemsByType.get(tx.type);
      items.push({
        id: tx.id,
        connectionId: run.connectionId,
        entity: Transaction.shape.type.parse(tx.type),
        contactId: tx.contactId,
        contactName: contacts.get(tx.contactId)?.displayName ?? tx.contactId,
        label: labelOf(tx),
        ...(problems && problems.length > 0 ? { problems } : {}),
      });
    }
    const plan = planBatches({ items, links, batchSize: definition.limits.batchSize });
    for (const h of plan.held) held.push({ transactionId: h.item.id, state: 'blocked', remoteId: null, reason: h.reason, fixAction: FIX_FOR_HOLD[h.code] });

    for (const h of held) {
      await this.repo.putSync(workspaceId, run.connectionId, h.transactionId, { state: 'blocked', reason: h.reason, fixAction: h.fixAction, lastRunId: run.id });
    }
    const batches: { seq: number; items: string[] }[] = [];
    for (const connection of plan.connections) {
      for (const planned of connection.batches) {
        const ids: string[] = [];
        for (const item of planned.items) {
          const candidate = byId.get(item.id);
          // An uncertain write keeps its state (and key) so the batch looks it up before sending.
          const state = candidate?.sync?.state === 'uncertain' ? 'uncertain' : 'pending';
          ids.push(await this.repo.putSync(workspaceId, run.connectionId, item.id, { state, reason: null, fixAction: null, lastRunId: run.id }));
        }
        batches.push({ seq: batches.length, items: ids });
      }
    }
    await this.repo.createBatches(workspaceId, run.connectionId, run.id, batches);
    const results: RunResults = { held, unchanged };
    const total = batches.reduce((n, b) => n + b.items.length, 0);
    await this.repo.updateRun(workspaceId, run.id, { total, results: results as unknown as Prisma.InputJsonValue });
    this.logger.info('transaction sync planned', { syncRunId: run.id, connectionId: run.connectionId, batches: batches.length, total, held: held.length, unchanged });
    await this.continueFrom(run, await this.repo.batches(workspaceId, run.id));
  }

  private async mappingProblems(workspaceId: string, connectionId: string, open: OpenConnection): Promise<Map<string, MappingProblem[]>> {
    const rows = await this.repo.latestMappings(workspaceId, connectionId);
    const byEntity = new Map<string, FieldMapping[]>();
    for (const row of rows) {
      const rules = Array.isArray(row.rules) ? (row.rules as unknown as FieldMapping['rules']) : [];
      byEntity.set(row.entity, [...(byEntity.get(row.entity) ?? []), { version: row.version, effectiveFrom: row.effectiveFrom.toISOString(), rules }]);
    }
    const problems = new Map<string, MappingProblem[]>();
    const now = new Date().toISOString();
    for (const [entity, versions] of byEntity) {
      const catalog = open.connector.definition.fields[entity as keyof typeof open.connector.definition.fields];
      const mapping = selectMappingVersion(versions, now);
      if (!catalog || !mapping) continue;
      problems.set(
        entity,
        validateMapping(mapping, catalog).filter((p) => p.code === 'required_target_off' || p.code === 'unknown_target' || p.code === 'read_only_target'),
      );
    }
    return problems;
  }

  private async failRun(run: RunRow, error: string): Promise<void> {
    const results: RunResults = { held: [], unchanged: 0, error };
    await this.repo.updateRun(run.workspaceId, run.id, { state: 'failed', finishedAt: new Date(), results: results as unknown as Prisma.InputJsonValue });
    this.logger.warn('transaction sync failed', { syncRunId: run.id, connectionId: run.connectionId, error });
  }

  /** Enqueues the first unfinished batch, or finishes the run when none is left. */
  private async continueFrom(run: RunRow, batches: readonly BatchRow[]): Promise<void> {
    const next = batches.find((b) => b.state === 'queued' || b.state === 'running');
    if (next) {
      await this.queue.add(JOBS.pushTransactionBatch, { workspaceId: run.workspaceId, syncRunId: run.id, batchId: next.id }, { jobId: `batch-${next.id}` });
      return;
    }
    await this.repo.rollUpRun(run.workspaceId, run.id);
    await this.repo.updateRun(run.workspaceId, run.id, { state: 'completed', finishedAt: new Date() });
    this.logger.info('transaction sync finished', { syncRunId: run.id, connectionId: run.connectionId });
    // Read the contacts' accounting transactions back (amounts due, payments made remotely).
    const read = await this.repo.activeRun(run.workspaceId, run.connectionId, 'remote_transactions');
    const readRun = read ?? (await this.repo.createRun({ workspaceId: run.workspaceId, connectionId: run.connectionId, kind: 'remote_transactions', trigger: 'schedule', input: { after: run.id } }));
    await this.queue.add(JOBS.readRemoteTransactions, { workspaceId: run.workspaceId, connectionId: run.connectionId, syncRunId: readRun.id }, { jobId: `read-${readRun.id}` });
  }

  // ---------------------------------------------------------------- one batch

  async push(payload: PushTransactionBatchPayload, attempt: Attempt): Promise<void> {
    const { workspaceId } = payload;
    const run = await this.repo.findRun(workspaceId, payload.syncRunId);
    const batch = await this.repo.findBatch(workspaceId, payload.batchId);
    if (!run || !batch || run.state !== 'running') return;
    if (batch.state === 'completed' || batch.state === 'failed') {
      await this.continueFrom(run, await this.repo.batches(workspaceId, run.id));
      return;
    }
    if (batch.state === 'queued') await this.repo.updateBatch(workspaceId, batch.id, { state: 'running', startedAt: new Date() });

    const results = new Map(readBatchResults(batch.results).map((r) => [r.transactionId, r]));
    const syncIds = readBatchItems(batch.items);
    const syncs = await this.repo.syncsByIds(workspaceId, syncIds);
    const txs = new Map((await this.repo.findByIds(workspaceId, syncs.map((s) => s.transactionId))).map((t) => [t.id, t]));
    const save = async (finish?: 'completed' | 'failed') => {
      const list = syncs.flatMap((s) => results.get(s.transactionId) ?? []);
      await this.repo.updateBatch(workspaceId, batch.id, {
        results: list as unknown as Prisma.InputJsonValue,
        succeeded: list.filter((r) => r.state === 'synced').length,
        failed: list.filter((r) => r.state === 'failed' || r.state === 'blocked' || (finish && r.state === 'uncertain')).length,
        ...(finish ? { state: finish, finishedAt: new Date() } : {}),
      });
      await this.repo.rollUpRun(workspaceId, run.id);
    };
    const finishAll = async (state: 'failed' | 'uncertain', reason: string, fixAction: SyncItemResult['fixAction']) => {
      for (const sync of syncs) {
        if (results.has(sync.transactionId) && FINAL_STATES.has(results.get(sync.transactionId)?.state ?? '')) continue;
        await this.repo.updateSync(workspaceId, sync.id, { state, reason, fixAction });
        results.set(sync.transactionId, { transactionId: sync.transactionId, state, remoteId: sync.remoteId, reason, fixAction });
      }
      await save('completed');
      await this.continueFrom(run, await this.repo.batches(workspaceId, run.id));
    };

    let open: OpenConnection;
    try {
      open = await this.host.open(workspaceId, run.connectionId);
    } catch (error) {
      if (!(error instanceof ConnectionUnusableError) && !attempt.isLast) throw error;
      await finishAll('failed', `The connection cannot be used (${(error as Error).message}): reconnect it from Integrations and retry.`, 'reconnect');
      return;
    }
    const api = open.session.transactions;
    if (!api) {
      await finishAll('failed', `${open.connector.definition.displayName} does not take transactions.`, 'fix_data');
      return;
    }
    const context: BatchContext = {
      workspaceId,
      batch,
      open,
      api,
      provider: open.connector.definition.displayName,
      tenantKey: `${open.connector.definition.id}:${open.connection.tenantId ?? open.connection.id}`,
      results,
      retry: new Map(),
    };

    const links = new Map((await this.repo.linksFor(workspaceId, run.connectionId, [...new Set([...txs.values()].map((t) => t.contactId))])).map((l) => [l.contactId, l]));
    const prepared: Prepared[] = [];
    for (const sync of syncs) {
      if (FINAL_STATES.has(results.get(sync.transactionId)?.state ?? '')) continue;
      const tx = txs.get(sync.transactionId);
      if (!tx) {
        await this.settle(context, sync, 'failed', 'The transaction was deleted before it was sent.', 'fix_data');
        continue;
      }
      if (sync.state === 'synced' && sync.lastPushedHash === tx.contentHash) {
        results.set(tx.id, { transactionId: tx.id, state: 'synced', remoteId: sync.remoteId, reason: null, fixAction: null });
        continue;
      }
      const link = links.get(tx.contactId);
      if (!(link?.state === 'linked' && link.remoteId)) {
        const invalid = link?.state === 'invalid';
        await this.settle(context, sync, 'blocked', invalid ? `Link invalid: ${link.reason ?? 'the remote contact is no longer usable'}` : 'Contact not linked: link or upload the contact first', invalid ? 'relink_contact' : 'link_contact');
        continue;
      }
      const canonical = Transaction.parse(tx.data);
      if (sync.state === 'uncertain' && sync.idempotencyKey && !sync.remoteId) {
        // The earlier write may have happened: look it up before sending anything again. A failed
        // look-up keeps the item back (never sent blind) and the others go on.
        let found: RemoteTransaction | undefined;
        try {
          found = await this.find(context, sync, canonical, link.remoteId);
        } catch (error) {
          const retryAfterSeconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
          context.retry.set(sync.id, {
            kind: 'uncertain',
            message: `the look-up in ${context.provider} failed (${(error as Error).message})`,
            ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}),
          });
          continue;
        }
        if (found) {
          await this.synced(context, sync, tx, found);
          continue;
        }
      }
      const item: PushTransactionItem = {
        idempotencyKey: sync.idempotencyKey ?? randomUUID(),
        contactId: link.remoteId,
        transaction: canonical,
        ...(sync.remoteId ? { remoteId: sync.remoteId } : {}),
        ...(sync.remoteId && sync.remoteVersion ? { version: sync.remoteVersion } : {}),
      };
      prepared.push({ sync, tx, item });
    }

    if (prepared.length > 0) {
      // Persisted before the provider is called: a retry or a crash replays the same key.
      await this.repo.persistKeys(
        workspaceId,
        prepared.map((p) => ({ id: p.sync.id, idempotencyKey: p.item.idempotencyKey })),
      );
      let outcomes: ItemResult<PushedTransaction>[];
      try {
        outcomes = await this.call(context, `push-${batch.id}`, () => api.push(prepared.map((p) => p.item)), { batch: true });
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'auth_revoked') {
          await finishAll('failed', `${context.provider} no longer accepts this connection (${error.message}): reconnect it from Integrations and retry.`, 'reconnect');
          return;
        }
        if (isConnectorError(error) && error.kind === 'uncertain') {
          for (const p of prepared) await this.repo.updateSync(workspaceId, p.sync.id, { state: 'uncertain', reason: `${context.provider} did not confirm the write (${error.message})`, fixAction: 'retry' });
        }
        const retryable = !isConnectorError(error) || ['rate_limited', 'transient', 'uncertain', 'auth_expired'].includes(error.kind);
        if (retryable && !attempt.isLast) {
          await save();
          throw error;
        }
        const data = isConnectorError(error) ? error.toJSON() : { kind: 'transient' as const, message: (error as Error).message };
        for (const p of prepared) await this.giveUp(context, p.sync, data, attempt);
        await save('completed');
        await this.continueFrom(run, await this.repo.batches(workspaceId, run.id));
        return;
      }
      for (const [index, entry] of prepared.entries()) {
        const outcome = outcomes[index];
        if (!outcome) context.retry.set(entry.sync.id, { kind: 'uncertain', message: `${context.provider} returned no result for this transaction` });
        else if (outcome.ok) await this.synced(context, entry.sync, entry.tx, outcome.value.remote);
        else await this.failed(context, entry, outcome.error);
      }
    }

    if (context.retry.size > 0) {
      if (!attempt.isLast) {
        await save();
        const waits = [...context.retry.values()].map((e) => e.retryAfterSeconds ?? 0);
        throw new RetryLater(`${context.retry.size} transaction(s) hit a temporary ${context.provider} problem; retrying`, Math.max(0, ...waits) || undefined);
      }
      for (const sync of syncs) {
        const error = context.retry.get(sync.id);
        if (error) await this.giveUp(context, sync, error, attempt);
      }
    }
    await save('completed');
    await this.continueFrom(run, await this.repo.batches(workspaceId, run.id));
  }

  /** One provider request under the tenant's shared rate budget; a 429 makes every process wait. */
  private async call<T>(context: BatchContext, slotId: string, request: () => Promise<T>, options: { readonly batch?: boolean } = {}): Promise<T> {
    const limits = context.open.connector.definition.limits;
    const release = options.batch === true ? await this.budget.takeBatch(context.tenantKey, limits, slotId) : await this.budget.take(context.tenantKey, limits, slotId);
    try {
      return await request();
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'rate_limited') await this.budget.backOff(context.tenantKey, limits, (error.retryAfterSeconds ?? 60) * 1000);
      throw error;
    } finally {
      await release();
    }
  }

  private async find(context: BatchContext, sync: SyncRow, canonical: Transaction, remoteContactId: string): Promise<RemoteTransaction | undefined> {
    const find = context.api.find?.bind(context.api);
    const idempotencyKey = sync.idempotencyKey;
    if (!find || !idempotencyKey) return undefined;
    return this.call(context, `find-${sync.id}`, () => find({ type: canonical.type, idempotencyKey, contactId: remoteContactId, ...(canonical.number ? { number: canonical.number } : {}) }));
  }

  private async synced(context: BatchContext, sync: SyncRow, tx: TransactionRow, remote: RemoteTransaction): Promise<void> {
    await this.repo.updateSync(context.workspaceId, sync.id, {
      state: 'synced',
      reason: null,
      fixAction: null,
      remoteId: remote.id,
      remoteVersion: remote.version ?? null,
      idempotencyKey: null,
      lastPushedHash: tx.contentHash,
      syncedAt: new Date(),
    });
    await this.repo.upsertRemote(context.workspaceId, context.batch.connectionId, remote);
    context.results.set(tx.id, { transactionId: tx.id, state: 'synced', remoteId: remote.id, reason: null, fixAction: null });
  }

  private async failed(context: BatchContext, entry: Prepared, error: ConnectorErrorData): Promise<void> {
    const { sync } = entry;
    switch (error.kind) {
      case 'rate_limited':
      case 'transient':
      case 'auth_expired':
        context.retry.set(sync.id, error);
        return;
      case 'uncertain':
        await this.repo.updateSync(context.workspaceId, sync.id, { state: 'uncertain', reason: `${context.provider} did not confirm the write (${error.message})`, fixAction: 'retry' });
        context.retry.set(sync.id, error);
        return;
      case 'stale':
        // Changed remotely since our last write: send again without the old version.
        await this.repo.updateSync(context.workspaceId, sync.id, { state: 'pending', remoteVersion: null });
        context.retry.set(sync.id, error);
        return;
      case 'auth_revoked':
        await this.settle(context, sync, 'failed', `${context.provider} no longer accepts this connection (${error.message}): reconnect it from Integrations and retry.`, 'reconnect');
        return;
      case 'remote_inactive':
        await this.settle(context, sync, 'blocked', `The linked ${context.provider} contact is ${error.reason ?? 'inactive'} (${error.message}): link the contact to an active one.`, 'relink_contact');
        return;
      case 'validation':
        await this.settle(context, sync, 'failed', `${context.provider} refused ${error.field ? `the field ${error.field}` : 'this transaction'}: ${error.message}. Fix it in the host app and sync again.`, 'fix_data', true);
        return;
      case 'duplicate':
        await this.settle(context, sync, 'failed', `${context.provider} already has this transaction${error.existingRemoteId ? ` (Id ${error.existingRemoteId})` : ''}: ${error.message}. Change its number, or remove the copy there.`, 'fix_data', true);
        return;
      case 'not_found':
        await this.settle(context, sync, 'failed', `${context.provider} could not find what this transaction refers to (${error.message}): check its contact and items, then retry.`, 'fix_data', true);
    }
  }

  /** The last attempt is spent: keep the connector's reason and say what to do. */
  private async giveUp(context: BatchContext, sync: SyncRow, error: ConnectorErrorData, attempt: Attempt): Promise<void> {
    if (FINAL_STATES.has(context.results.get(sync.transactionId)?.state ?? '')) return;
    if (error.kind === 'uncertain') {
      const reason = `${context.provider} did not confirm whether this transaction was saved (${error.message}): retry it; it is looked up first and never created twice.`;
      await this.repo.updateSync(context.workspaceId, sync.id, { state: 'uncertain', reason, fixAction: 'retry' });
      context.results.set(sync.transactionId, { transactionId: sync.transactionId, state: 'uncertain', remoteId: null, reason, fixAction: 'retry' });
      return;
    }
    await this.settle(context, sync, 'failed', `${context.provider} kept failing after ${attempt.max} attempts (${error.message}): retry later.`, 'retry');
  }

  private async settle(context: BatchContext, sync: SyncRow, state: 'failed' | 'blocked', reason: string, fixAction: SyncItemResult['fixAction'], dropKey = false): Promise<void> {
    await this.repo.updateSync(context.workspaceId, sync.id, { state, reason, fixAction, ...(dropKey ? { idempotencyKey: null } : {}) });
    context.results.set(sync.transactionId, { transactionId: sync.transactionId, state, remoteId: sync.remoteId, reason, fixAction });
  }
}

function toLinkState(state: string): LinkState {
  return state === 'linked' || state === 'pending' || state === 'invalid' ? state : 'unlinked';
}
