import { Injectable } from '@nestjs/common';
import { ContactKind, isConnectorError } from '@ledgerlink/connector-sdk';
import type { Prisma } from '../generated/prisma/client.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import type { Attempt } from '../queue/queue.decorators.js';
import type { ReadRemoteTransactionsPayload } from '../queue/queues.js';
import { TransactionsRepository } from '../transactions/transactions.repository.js';
import { RateBudgetService } from './rate-budget.service.js';

/** Changes made just before the previous read started are read again (clock skew between us and the provider). */
const SINCE_OVERLAP_MS = 5 * 60_000;

/**
 * Reads the accounting transactions of every linked contact of a connection into
 * RemoteTransaction, incrementally: `since` the start of the last completed read.
 */
@Injectable()
export class RemoteReader {
  constructor(
    private readonly repo: TransactionsRepository,
    private readonly host: ConnectorHostService,
    private readonly budget: RateBudgetService,
    private readonly logger: JsonLogger,
  ) {}

  async run(payload: ReadRemoteTransactionsPayload, attempt: Attempt): Promise<void> {
    const { workspaceId, connectionId, syncRunId } = payload;
    const run = await this.repo.findRun(workspaceId, syncRunId, connectionId);
    if (!run || run.kind !== 'remote_transactions' || run.state === 'completed' || run.state === 'failed') return;
    await this.repo.claimRun(workspaceId, run.id);
    const finish = (state: 'completed' | 'failed', data: { total: number; succeeded: number; failed: number; results: Record<string, unknown> }) =>
      this.repo.updateRun(workspaceId, run.id, { state, finishedAt: new Date(), ...data, results: data.results as Prisma.InputJsonValue });

    let open: OpenConnection;
    try {
      open = await this.host.open(workspaceId, connectionId);
    } catch (error) {
      if (!(error instanceof ConnectionUnusableError) && !attempt.isLast) throw error;
      await finish('failed', { total: 0, succeeded: 0, failed: 0, results: { error: (error as Error).message } });
      return;
    }
    const api = open.session.transactions;
    if (!api) {
      await finish('completed', { total: 0, succeeded: 0, failed: 0, results: { transactions: 0, note: `${open.connector.definition.displayName} has no transactions` } });
      return;
    }
    const previous = await this.repo.lastCompletedRun(workspaceId, connectionId, 'remote_transactions');
    const since = previous?.startedAt ? new Date(previous.startedAt.getTime() - SINCE_OVERLAP_MS).toISOString() : undefined;
    const links = await this.repo.linkedContacts(workspaceId, connectionId);
    const kinds = new Map((await this.repo.contactsByIds(workspaceId, links.map((l) => l.contactId))).map((c) => [c.id, c.kind]));
    const { definition } = open.connector;
    const tenantKey = `${definition.id}:${open.connection.tenantId ?? open.connection.id}`;
    const types = definition.capabilities.transactionTypes;
    let read = 0;
    let failed = 0;
    let contactsRead = 0;
    for (const link of links) {
      if (!link.remoteId) continue;
      const kind = ContactKind.safeParse(kinds.get(link.contactId));
      if (!kind.success) continue;
      const release = await this.budget.take(tenantKey, definition.limits, `read-${run.id}`);
      try {
        const items = await api.listForContact({ kind: kind.data, contactId: link.remoteId, ...(since ? { since } : {}), ...(types && types.length > 0 ? { types } : {}) });
        for (const item of items) await this.repo.upsertRemote(workspaceId, connectionId, item);
        read += items.length;
        contactsRead++;
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'rate_limited') await this.budget.backOff(tenantKey, definition.limits, (error.retryAfterSeconds ?? 60) * 1000);
        if (isConnectorError(error) && (error.kind === 'not_found' || error.kind === 'validation' || error.kind === 'remote_inactive')) {
          failed++;
          continue;
        }
        if (!attempt.isLast) throw error;
        failed++;
      } finally {
        await release();
      }
    }
    await finish('completed', { total: links.length, succeeded: contactsRead, failed, results: { transactions: read, since: since ?? null } });
    this.logger.info('remote transactions read', { syncRunId: run.id, connectionId, contacts: contactsRead, transactions: read });
  }
}
