import { Inject, Injectable } from '@nestjs/common';
import type { RemoteTransaction as RemoteTx } from '@ledgerlink/connector-sdk';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { hubEvent } from '../events/hub-event.js';

export interface TransactionRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly externalId: string;
  readonly type: string;
  readonly contactId: string;
  readonly number: string | null;
  readonly issueDate: string;
  readonly currency: string;
  readonly total: bigint;
  readonly ready: boolean;
  readonly data: unknown;
  readonly version: number;
  readonly contentHash: string;
  readonly updatedAt: Date;
}

export interface TransactionFields {
  readonly type: string;
  readonly contactId: string;
  readonly number: string | null;
  readonly issueDate: string;
  readonly currency: string;
  readonly total: bigint;
  readonly ready: boolean;
  readonly data: Prisma.InputJsonValue;
  readonly contentHash: string;
}

export interface SyncRow {
  readonly id: string;
  readonly connectionId: string;
  readonly transactionId: string;
  readonly state: string;
  readonly reason: string | null;
  readonly fixAction: string | null;
  readonly remoteId: string | null;
  readonly remoteVersion: string | null;
  readonly idempotencyKey: string | null;
  readonly lastPushedHash: string | null;
  readonly attempts: number;
  readonly lastRunId: string | null;
  readonly syncedAt: Date | null;
  readonly updatedAt: Date;
}

export interface RunRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly kind: string;
  readonly trigger: string;
  readonly state: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly input: unknown;
  readonly results: unknown;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface BatchRow {
  readonly id: string;
  readonly runId: string;
  readonly connectionId: string;
  readonly seq: number;
  readonly state: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly items: unknown;
  readonly results: unknown;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface SyncUpdate {
  readonly state: string;
  readonly reason?: string | null;
  readonly fixAction?: string | null;
  readonly remoteId?: string | null;
  readonly remoteVersion?: string | null;
  readonly idempotencyKey?: string | null;
  readonly lastPushedHash?: string | null;
  readonly syncedAt?: Date | null;
  readonly lastRunId?: string;
}

export interface TransactionFilter {
  readonly type?: string | undefined;
  readonly ready?: boolean | undefined;
  readonly contactId?: string | undefined;
  readonly sync?: { readonly connectionId: string; readonly state: string };
}

const TX_SELECT = {
  id: true,
  workspaceId: true,
  externalId: true,
  type: true,
  contactId: true,
  number: true,
  issueDate: true,
  currency: true,
  total: true,
  ready: true,
  data: true,
  version: true,
  contentHash: true,
  updatedAt: true,
} as const;

const SYNC_SELECT = {
  id: true,
  connectionId: true,
  transactionId: true,
  state: true,
  reason: true,
  fixAction: true,
  remoteId: true,
  remoteVersion: true,
  idempotencyKey: true,
  lastPushedHash: true,
  attempts: true,
  lastRunId: true,
  syncedAt: true,
  updatedAt: true,
} as const;

const BATCH_SELECT = { id: true, runId: true, connectionId: true, seq: true, state: true, total: true, succeeded: true, failed: true, items: true, results: true, startedAt: true, finishedAt: true } as const;

/** Transactions, their per-connection sync state, sync runs and batches, and remote transactions. Every query is scoped to a workspace. */
@Injectable()
export class TransactionsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findByExternalId(workspaceId: string, externalId: string): Promise<TransactionRow | null> {
    return this.prisma.transaction.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } }, select: TX_SELECT });
  }

  find(workspaceId: string, id: string): Promise<TransactionRow | null> {
    return this.prisma.transaction.findFirst({ where: { workspaceId, id }, select: TX_SELECT });
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<TransactionRow[]> {
    return this.prisma.transaction.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: TX_SELECT });
  }

  create(workspaceId: string, externalId: string, fields: TransactionFields): Promise<TransactionRow> {
    return this.prisma.transaction.create({ data: { workspaceId, externalId, ...fields }, select: TX_SELECT });
  }

  /** Content changed: new content, version + 1. */
  updateContent(workspaceId: string, id: string, fields: TransactionFields): Promise<TransactionRow> {
    return this.prisma.transaction.update({ where: { id, workspaceId }, data: { ...fields, version: { increment: 1 } }, select: TX_SELECT });
  }

  /** Only the ready flag changed: the content (and version) stay. */
  setReady(workspaceId: string, id: string, ready: boolean): Promise<TransactionRow> {
    return this.prisma.transaction.update({ where: { id, workspaceId }, data: { ready }, select: TX_SELECT });
  }

  /** Newest first by id (cuid, increasing), keyset-paged: `id < cursor`. */
  list(workspaceId: string, filter: TransactionFilter, page: { readonly cursor?: string; readonly limit: number }): Promise<TransactionRow[]> {
    const where: Prisma.TransactionWhereInput = {
      workspaceId,
      ...(filter.type ? { type: filter.type } : {}),
      ...(filter.ready !== undefined ? { ready: filter.ready } : {}),
      ...(filter.contactId ? { contactId: filter.contactId } : {}),
      ...(page.cursor ? { id: { lt: page.cursor } } : {}),
    };
    return this.prisma.transaction.findMany({ where, select: TX_SELECT, orderBy: { id: 'desc' }, take: page.limit });
  }

  /** Transactions in one sync state on one connection, keyset-paged through TransactionSync's (workspace, connection, state) index. */
  async listBySyncState(workspaceId: string, filter: TransactionFilter & { sync: NonNullable<TransactionFilter['sync']> }, page: { readonly cursor?: string; readonly limit: number }): Promise<TransactionRow[]> {
    const rows: TransactionRow[] = [];
    let cursor = page.cursor;
    // Walk the sync rows in transaction-id order; the other filters apply to each chunk.
    for (let guard = 0; rows.length < page.limit && guard < 200; guard++) {
      const syncs = await this.prisma.transactionSync.findMany({
        where: { workspaceId, connectionId: filter.sync.connectionId, state: filter.sync.state, ...(cursor ? { transactionId: { lt: cursor } } : {}) },
        select: { transactionId: true },
        orderBy: { transactionId: 'desc' },
        take: page.limit * 2,
      });
      if (syncs.length === 0) break;
      const ids = syncs.map((s) => s.transactionId);
      const found = await this.prisma.transaction.findMany({
        where: {
          workspaceId,
          id: { in: ids },
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.ready !== undefined ? { ready: filter.ready } : {}),
          ...(filter.contactId ? { contactId: filter.contactId } : {}),
        },
        select: TX_SELECT,
        orderBy: { id: 'desc' },
      });
      rows.push(...found);
      cursor = ids[ids.length - 1];
      if (syncs.length < page.limit * 2) break;
    }
    return rows.slice(0, page.limit);
  }

  syncsFor(workspaceId: string, transactionIds: readonly string[]): Promise<SyncRow[]> {
    return this.prisma.transactionSync.findMany({ where: { workspaceId, transactionId: { in: [...transactionIds] } }, select: SYNC_SELECT, orderBy: { createdAt: 'asc' } });
  }

  syncsByIds(workspaceId: string, ids: readonly string[]): Promise<SyncRow[]> {
    return this.prisma.transactionSync.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: SYNC_SELECT });
  }

  /** Ready transactions, a page at a time in id order (the planner streams them). */
  readyPage(workspaceId: string, afterId: string | null, take: number): Promise<TransactionRow[]> {
    return this.prisma.transaction.findMany({
      where: { workspaceId, ready: true, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: TX_SELECT,
      orderBy: { id: 'asc' },
      take,
    });
  }

  /** Failed or uncertain sync rows of a connection (optionally only these transactions). */
  retryable(workspaceId: string, connectionId: string, transactionIds: readonly string[] | null): Promise<SyncRow[]> {
    return this.prisma.transactionSync.findMany({
      where: { workspaceId, connectionId, state: { in: ['failed', 'uncertain'] }, ...(transactionIds ? { transactionId: { in: [...transactionIds] } } : {}) },
      select: SYNC_SELECT,
    });
  }

  /** Creates or updates the sync row of (connection, transaction); returns its id. */
  async putSync(workspaceId: string, connectionId: string, transactionId: string, update: SyncUpdate): Promise<string> {
    const row = await this.prisma.transactionSync.upsert({
      where: { connectionId_transactionId: { connectionId, transactionId } },
      create: { workspaceId, connectionId, transactionId, ...update },
      update: { ...update },
      select: { id: true },
    });
    return row.id;
  }

  async updateSync(workspaceId: string, id: string, update: SyncUpdate & { readonly countAttempt?: boolean }): Promise<void> {
    const { countAttempt, ...data } = update;
    const write = this.prisma.transactionSync.updateMany({ where: { workspaceId, id }, data: { ...data, ...(countAttempt ? { attempts: { increment: 1 } } : {}) } });
    if (data.state !== 'failed') {
      await write;
      return;
    }
    // A failure a person must act on is published to the host app with the reason and the fix.
    const sync = await this.prisma.transactionSync.findFirst({ where: { workspaceId, id }, select: { transactionId: true, connectionId: true, state: true } });
    if (!sync || sync.state === 'failed') {
      await write;
      return;
    }
    const tx = await this.prisma.transaction.findFirst({ where: { workspaceId, id: sync.transactionId }, select: { externalId: true } });
    await this.prisma.$transaction([
      write,
      this.prisma.hubEvent.create(
        hubEvent(workspaceId, 'transaction.failed', {
          connectionId: sync.connectionId, transactionId: sync.transactionId, externalId: tx?.externalId ?? null, reason: data.reason ?? null, fixAction: data.fixAction ?? null,
        }),
      ),
    ]);
  }

  /** Persists the idempotency keys of the writes about to be sent, in one database transaction. */
  async persistKeys(workspaceId: string, keys: readonly { readonly id: string; readonly idempotencyKey: string }[]): Promise<void> {
    await this.prisma.$transaction(keys.map((k) => this.prisma.transactionSync.updateMany({ where: { workspaceId, id: k.id }, data: { idempotencyKey: k.idempotencyKey, attempts: { increment: 1 } } })));
  }

  linksFor(workspaceId: string, connectionId: string, contactIds: readonly string[]) {
    return this.prisma.contactLink.findMany({
      where: { workspaceId, connectionId, contactId: { in: [...contactIds] } },
      select: { contactId: true, state: true, remoteId: true, reason: true },
    });
  }

  linkedContacts(workspaceId: string, connectionId: string) {
    return this.prisma.contactLink.findMany({
      where: { workspaceId, connectionId, state: 'linked', remoteId: { not: null } },
      select: { contactId: true, remoteId: true },
      orderBy: { contactId: 'asc' },
    });
  }

  contactLinks(workspaceId: string, contactId: string) {
    return this.prisma.contactLink.findMany({ where: { workspaceId, contactId, remoteId: { not: null } }, select: { connectionId: true, remoteId: true } });
  }

  contactsByIds(workspaceId: string, ids: readonly string[]) {
    return this.prisma.contact.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: { id: true, externalId: true, displayName: true, kind: true } });
  }

  contactByExternalId(workspaceId: string, externalId: string) {
    return this.prisma.contact.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } }, select: { id: true, externalId: true, displayName: true, kind: true } });
  }

  contact(workspaceId: string, id: string) {
    return this.prisma.contact.findFirst({ where: { workspaceId, id }, select: { id: true, externalId: true, displayName: true, kind: true } });
  }

  latestMappings(workspaceId: string, connectionId: string) {
    return this.prisma.fieldMapping.findMany({ where: { workspaceId, connectionId }, select: { entity: true, version: true, effectiveFrom: true, rules: true }, orderBy: { version: 'desc' } });
  }

  // --- runs and batches ---

  createRun(input: { readonly workspaceId: string; readonly connectionId: string; readonly kind: string; readonly trigger: string; readonly input: Prisma.InputJsonValue }): Promise<RunRow> {
    return this.prisma.syncRun.create({
      data: { workspaceId: input.workspaceId, connectionId: input.connectionId, kind: input.kind, trigger: input.trigger, state: 'queued', input: input.input, results: [] },
    });
  }

  findRun(workspaceId: string, runId: string, connectionId?: string): Promise<RunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { workspaceId, id: runId, ...(connectionId ? { connectionId } : {}) } });
  }

  activeRun(workspaceId: string, connectionId: string, kind: string): Promise<RunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { workspaceId, connectionId, kind, state: { in: ['queued', 'running'] } }, orderBy: { createdAt: 'desc' } });
  }

  lastCompletedRun(workspaceId: string, connectionId: string, kind: string): Promise<RunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { workspaceId, connectionId, kind, state: 'completed' }, orderBy: { createdAt: 'desc' } });
  }

  /** Newest first, keyset-paged by id (cuid, increasing). */
  listRuns(workspaceId: string, connectionId: string, kind: string, page: { readonly cursor?: string; readonly limit: number }): Promise<RunRow[]> {
    return this.prisma.syncRun.findMany({
      where: { workspaceId, connectionId, kind, ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
      orderBy: { id: 'desc' },
      take: page.limit,
    });
  }

  async updateRun(workspaceId: string, runId: string, data: Prisma.SyncRunUpdateManyMutationInput): Promise<void> {
    const finish = data.state === 'completed' || data.state === 'failed' ? data.state : null;
    if (!finish) {
      await this.prisma.syncRun.updateMany({ where: { workspaceId, id: runId }, data });
      return;
    }
    // The run's end is published once: only the update that moves it out of queued/running emits.
    await this.prisma.$transaction(async (tx) => {
      const moved = await tx.syncRun.updateMany({ where: { workspaceId, id: runId, state: { notIn: ['completed', 'failed'] } }, data });
      if (moved.count === 0) {
        await tx.syncRun.updateMany({ where: { workspaceId, id: runId }, data });
        return;
      }
      const run = await tx.syncRun.findFirst({ where: { workspaceId, id: runId }, select: { connectionId: true, kind: true, trigger: true, total: true, succeeded: true, failed: true } });
      if (run?.kind !== 'transactions') return;
      await tx.hubEvent.create(
        hubEvent(workspaceId, finish === 'completed' ? 'sync_run.completed' : 'sync_run.failed', {
          syncRunId: runId, connectionId: run.connectionId, trigger: run.trigger, total: run.total, succeeded: run.succeeded, failed: run.failed,
        }),
      );
    });
  }

  /** Moves a queued run to running (once); false when another worker already did. */
  async claimRun(workspaceId: string, runId: string): Promise<boolean> {
    const { count } = await this.prisma.syncRun.updateMany({ where: { workspaceId, id: runId, state: 'queued' }, data: { state: 'running', startedAt: new Date() } });
    return count === 1;
  }

  async createBatches(workspaceId: string, connectionId: string, runId: string, batches: readonly { readonly seq: number; readonly items: readonly string[] }[]): Promise<void> {
    if (batches.length === 0) return;
    await this.prisma.syncBatch.createMany({
      data: batches.map((b) => ({ workspaceId, connectionId, runId, seq: b.seq, state: 'queued', total: b.items.length, items: [...b.items] })),
      skipDuplicates: true,
    });
  }

  batches(workspaceId: string, runId: string): Promise<BatchRow[]> {
    return this.prisma.syncBatch.findMany({ where: { workspaceId, runId }, select: BATCH_SELECT, orderBy: { seq: 'asc' } });
  }

  findBatch(workspaceId: string, batchId: string): Promise<BatchRow | null> {
    return this.prisma.syncBatch.findFirst({ where: { workspaceId, id: batchId }, select: BATCH_SELECT });
  }

  batchAt(workspaceId: string, runId: string, seq: number): Promise<BatchRow | null> {
    return this.prisma.syncBatch.findFirst({ where: { workspaceId, runId, seq }, select: BATCH_SELECT });
  }

  async updateBatch(workspaceId: string, batchId: string, data: Prisma.SyncBatchUpdateManyMutationInput): Promise<void> {
    await this.prisma.syncBatch.updateMany({ where: { workspaceId, id: batchId }, data });
  }

  /** The run's counts are the sums of its batches' (so a retried batch never counts twice). */
  async rollUpRun(workspaceId: string, runId: string): Promise<void> {
    const sums = await this.prisma.syncBatch.aggregate({ where: { workspaceId, runId }, _sum: { succeeded: true, failed: true } });
    await this.prisma.syncRun.updateMany({ where: { workspaceId, id: runId }, data: { succeeded: sums._sum.succeeded ?? 0, failed: sums._sum.failed ?? 0 } });
  }

  // --- remote transactions ---

  async upsertRemote(workspaceId: string, connectionId: string, remote: RemoteTx): Promise<void> {
    const t = remote.transaction;
    const fields = {
      remoteContactId: remote.contactId,
      number: t.number ?? null,
      status: remote.status,
      currency: t.currency,
      total: BigInt(t.total),
      amountDue: t.amountDue === undefined ? null : BigInt(t.amountDue),
      issueDate: t.issueDate,
      deepLink: remote.deepLink ?? null,
      version: remote.version ?? null,
      data: t as unknown as Prisma.InputJsonValue,
      remoteUpdatedAt: remote.updatedAt ? new Date(remote.updatedAt) : null,
      syncedAt: new Date(),
    };
    await this.prisma.remoteTransaction.upsert({
      where: { connectionId_type_remoteId: { connectionId, type: t.type, remoteId: remote.id } },
      create: { workspaceId, connectionId, remoteId: remote.id, type: t.type, ...fields },
      update: fields,
    });
  }

  remoteForContacts(workspaceId: string, pairs: readonly { readonly connectionId: string; readonly remoteId: string }[]) {
    if (pairs.length === 0) return Promise.resolve([]);
    return this.prisma.remoteTransaction.findMany({
      where: { workspaceId, OR: pairs.map((p) => ({ connectionId: p.connectionId, remoteContactId: p.remoteId })) },
      orderBy: [{ issueDate: 'desc' }, { remoteId: 'desc' }],
      take: 500,
    });
  }

  syncsByRemoteIds(workspaceId: string, connectionIds: readonly string[], remoteIds: readonly string[]) {
    if (remoteIds.length === 0) return Promise.resolve([]);
    return this.prisma.transactionSync.findMany({ where: { workspaceId, connectionId: { in: [...connectionIds] }, remoteId: { in: [...remoteIds] } }, select: { connectionId: true, remoteId: true, transactionId: true } });
  }
}
