import { Injectable } from '@nestjs/common';
import { Contact, isConnectorError } from '@ledgerlink/connector-sdk';
import { syncContentHash } from '@ledgerlink/core';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionUnusableError, ConnectorHostService } from '../connector-host/connector-host.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { LinksRepository } from '../links/links.repository.js';
import type { Attempt } from '../queue/queue.decorators.js';
import { applyValues, readBase, readValues, takesOut } from './crm-fields.js';
import type { CrmWritePayload } from './crm-sync.queue.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { CrmSyncService } from './crm-sync.service.js';

const RETRYABLE = new Set(['rate_limited', 'transient', 'uncertain', 'auth_expired', 'stale']);

export type WriteOutcome = 'written' | 'nothing_to_write' | 'skipped';

/**
 * The `crm-write` job: brings one linked remote contact in step with the canonical contact.
 * It reads the remote record first (a change made there since the last poll is decided before
 * anything is overwritten), then sends only the fields the connection takes out whose value
 * differs from what the remote holds, with an idempotency key per intended write, and stores
 * what the remote now holds as the link's base (so the write coming back is recognised as ours).
 */
@Injectable()
export class CrmWriteRunner {
  constructor(
    private readonly repository: CrmSyncRepository,
    private readonly sync: CrmSyncService,
    private readonly host: ConnectorHostService,
    private readonly links: LinksRepository,
    private readonly logger: JsonLogger,
  ) {}

  async run(payload: CrmWritePayload, attempt: Attempt): Promise<WriteOutcome> {
    const { workspaceId, contactId, connectionId } = payload;
    try {
      return await this.write(workspaceId, contactId, connectionId);
    } catch (error) {
      const retryable = error instanceof ConnectionUnusableError ? false : !isConnectorError(error) || RETRYABLE.has(error.kind);
      if (retryable && !attempt.isLast) throw error;
      this.logger.warn('crm sync write gave up', { contactId, connectionId, error: (error as Error).message });
      return 'skipped';
    }
  }

  private async write(workspaceId: string, contactId: string, connectionId: string): Promise<WriteOutcome> {
    const link = await this.links.findLink({ workspaceId, connectionId, contactId });
    if (!link || link.state !== 'linked' || link.remoteId === null) return 'skipped';
    const open = await this.host.open(workspaceId, connectionId);
    const contactRow = await this.repository.withContactLock(workspaceId, contactId, (tx) => CrmSyncRepository.loadContact(tx, workspaceId, contactId));
    if (!contactRow) return 'skipped';
    const kind = Contact.parse(contactRow.data).kind;
    if (!open.connector.definition.capabilities.contactKinds.includes(kind)) return 'skipped';

    // Read before write: a change made on this side meanwhile is decided first.
    const fresh = await open.session.contacts.get({ kind, id: link.remoteId });
    await this.links.mirror(workspaceId, connectionId, fresh);
    if (fresh.status !== 'active') return 'skipped';
    await this.sync.propagateContact(workspaceId, contactId, connectionId);

    const plan = await this.repository.withContactLock(workspaceId, contactId, async (tx) => {
      const contact = await CrmSyncRepository.loadContact(tx, workspaceId, contactId);
      const participant = (await CrmSyncRepository.participants(tx, workspaceId, contactId)).find((p) => p.connection.id === connectionId);
      if (!contact || !participant) return null;
      const directions = this.sync.directionsOf(participant, contact.kind);
      const fields = Object.keys(directions).filter((f) => takesOut(directions[f]));
      const canonical = readValues(Contact.parse(contact.data), fields);
      const holds = readValues(fresh.contact, fields);
      const values = Object.fromEntries(fields.filter((f) => canonical[f] !== holds[f]).map((f) => [f, canonical[f] ?? null]));
      return { values, version: contact.version, linkId: participant.link.id };
    });
    if (!plan || Object.keys(plan.values).length === 0) return 'nothing_to_write';

    const hash = syncContentHash(plan.values);
    const [outcome] = await open.session.contacts.upsert([
      {
        // The remote's own version is part of the key: a retry of a write that did not land replays it,
        // and the same values sent again after the remote changed are a new write.
        idempotencyKey: `crm:${plan.linkId}:${plan.version}:${hash}:${fresh.version ?? fresh.updatedAt ?? ''}`,
        remoteId: link.remoteId,
        ...(fresh.version ? { version: fresh.version } : {}),
        contact: Contact.parse(applyValues(fresh.contact, plan.values)),
      },
    ]);
    if (!outcome) throw new Error(`${open.connector.definition.displayName} returned no result for the write`);
    if (!outcome.ok) {
      if (RETRYABLE.has(outcome.error.kind)) throw Object.assign(new Error(outcome.error.message), outcome.error);
      this.logger.warn('crm sync write refused', { contactId, connectionId, kind: outcome.error.kind, error: outcome.error.message });
      return 'skipped';
    }
    const written = outcome.value.remote;
    await this.links.mirror(workspaceId, connectionId, written);
    await this.repository.withContactLock(workspaceId, contactId, async (tx) => {
      const current = await tx.contactLink.findUnique({ where: { id: plan.linkId }, select: { baseData: true } });
      // The base becomes what the remote holds now (its own formatting included), so the poll
      // that reads this write back finds nothing new.
      const base = { ...(readBase(current?.baseData) ?? {}), ...readValues(written.contact, Object.keys(plan.values)) };
      await tx.contactLink.update({
        where: { id: plan.linkId },
        data: { baseData: base as Prisma.InputJsonValue, lastPushedHash: hash, remoteVersion: written.version ?? null, lastSyncedAt: new Date() },
      });
    });
    this.logger.info('crm sync wrote', { contactId, connectionId, fields: Object.keys(plan.values) });
    return 'written';
  }
}
