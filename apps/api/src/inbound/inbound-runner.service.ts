import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ContactKind, isConnectorError, type RemoteContact } from '@ledgerlink/connector-sdk';
import type { InactiveReason } from '@ledgerlink/core';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionPausedError, ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { followRemoteInactive } from '../links/follow-remote-inactive.js';
import { LinksRepository } from '../links/links.repository.js';
import { REMOTE_CHANGE_LISTENER, type RemoteChangeListener } from '../pull/remote-change-listener.js';
import type { Attempt } from '../queue/queue.decorators.js';
import { RedisStore } from '../queue/redis-store.service.js';
import { type InboundOutcome, InboundRepository, type InboundRow } from './inbound.repository.js';

/** Longer than any one application (a read and a few writes), so a crashed holder frees it soon. */
const INBOUND_LOCK_MS = 60_000;
const RETRYABLE = new Set(['rate_limited', 'transient', 'uncertain', 'auth_expired', 'stale']);
const CONTACT_KINDS: ReadonlySet<string> = new Set<ContactKind>(['customer', 'supplier']);
const INACTIVE_OPERATION: Readonly<Record<string, InactiveReason>> = { merge: 'merged', delete: 'deleted', archive: 'archived', inactivate: 'inactive' };

interface Result {
  readonly state: InboundOutcome;
  readonly reason: string;
}

/**
 * Applies one stored InboundEvent. For a contact it re-reads the remote record through the
 * connection's session and refreshes the RemoteContact mirror, unless the mirror already holds a
 * newer version (late and out-of-order deliveries never overwrite newer state). A merge (with its
 * survivor), deletion, archive or inactivation changes the links that point at the record through
 * core's transitionLink: a merge re-points them to the survivor, anything else invalidates them,
 * each with a LinkEvent. The event ends applied, ignored or failed, with a reason.
 */
@Injectable()
export class InboundRunner {
  constructor(
    private readonly events: InboundRepository,
    private readonly links: LinksRepository,
    private readonly host: ConnectorHostService,
    private readonly logger: JsonLogger,
    /** The bidirectional CRM sync (absent without the crm-sync module). */
    @Optional() @Inject(REMOTE_CHANGE_LISTENER) private readonly remoteChanges?: RemoteChangeListener,
    /** Absent only in tests that run one runner alone. */
    @Optional() private readonly locks?: RedisStore,
  ) {}

  /**
   * Applies the event once even when two jobs carry it (a provider's retry stored once but queued
   * again by the sweeper, a resume): they take a per-event lock in turn, and the second finds the
   * event no longer received. A job that finds the lock held throws, so the queue retries it later.
   */
  async run(inboundEventId: string, attempt: Attempt): Promise<void> {
    const lock = this.locks ? await this.locks.tryLock(`inbound-event:${inboundEventId}`, INBOUND_LOCK_MS) : null;
    if (this.locks && !lock) throw new Error(`inbound event ${inboundEventId} is being applied by another job`);
    try {
      await this.runLocked(inboundEventId, attempt);
    } finally {
      await lock?.release();
    }
  }

  private async runLocked(inboundEventId: string, attempt: Attempt): Promise<void> {
    const row = await this.events.find(inboundEventId);
    if (!row || row.state !== 'received') return;
    let result: Result;
    try {
      result = await this.apply(row);
    } catch (error) {
      if (error instanceof ConnectionPausedError) {
        // Kept as received: enabling the connection queues it again (InboundService.resumeConnection).
        await this.events.hold(row.id, 'held while the connection is paused');
        this.logger.info('inbound event held: connection paused', { inboundEventId: row.id, connectionId: row.connectionId });
        return;
      }
      const retryable = !(error instanceof ConnectionUnusableError) && (!isConnectorError(error) || RETRYABLE.has(error.kind));
      if (retryable && !attempt.isLast) throw error;
      result = { state: 'failed', reason: (error as Error).message };
    }
    await this.events.finish(row.id, result.state, result.reason);
    this.logger.info('inbound event processed', { inboundEventId: row.id, connectionId: row.connectionId, state: result.state });
  }

  private async apply(row: InboundRow): Promise<Result> {
    if (!row.workspaceId || !row.connectionId) return { state: 'ignored', reason: 'no connection of this tenant' };
    if (!CONTACT_KINDS.has(row.entity)) return { state: 'ignored', reason: `${row.entity} changes are not followed (contacts only)` };
    const kind = row.entity as ContactKind;
    const workspaceId = row.workspaceId;
    const connectionId = row.connectionId;
    const open = await this.host.open(workspaceId, connectionId);

    const answer = await this.read(open, kind, row.remoteId);
    const remote = 'gone' in answer ? null : answer.remote;
    let mirrored = false;
    if (remote) {
      const stored = await this.events.mirrorUpdatedAt(workspaceId, connectionId, remote.id);
      const fetched = remote.updatedAt ? new Date(remote.updatedAt) : null;
      if (!(stored && fetched && stored.getTime() > fetched.getTime())) {
        await this.links.mirror(workspaceId, connectionId, remote);
        mirrored = true;
      }
    }

    // What the record is now: the provider's current answer wins over the event's operation.
    const operationReason = INACTIVE_OPERATION[row.operation];
    const gone = 'gone' in answer ? answer.gone : null;
    // A merge names its survivor; QBO shows the merged-away record as merely inactive, so the event decides.
    const remoteReason: InactiveReason | null = remote ? (remote.status === 'active' ? null : remote.status) : (gone?.reason ?? operationReason ?? 'deleted');
    const reason: InactiveReason | null = row.operation === 'merge' && row.survivorId && remoteReason !== null ? 'merged' : remoteReason;
    const survivorId = row.survivorId ?? remote?.mergedIntoId ?? gone?.survivorId ?? undefined;
    if (reason === null) {
      if (!mirrored) return { state: 'ignored', reason: 'the mirror already holds a newer version of this contact' };
      if ((await this.links.linkedTo(workspaceId, connectionId, row.remoteId)).length > 0) {
        await this.remoteChanges?.remoteContactStored(workspaceId, connectionId, row.remoteId).catch((error: unknown) => {
          this.logger.warn('the CRM sync could not take an inbound change; the next change of this contact carries it', { connectionId, remoteId: row.remoteId, error: (error as Error).message });
        });
      }
      return { state: 'applied', reason: 'mirror updated' };
    }
    if (survivorId && reason === 'merged') {
      const survivor = await this.read(open, kind, survivorId);
      if ('remote' in survivor) await this.links.mirror(workspaceId, connectionId, survivor.remote);
    }
    const changed = await followRemoteInactive(this.links, {
      workspaceId,
      connectionId,
      kind,
      provider: open.connector.definition.displayName,
      remoteId: row.remoteId,
      displayName: remote?.contact.displayName,
      reason,
      survivorId: reason === 'merged' ? survivorId : undefined,
    });
    if (changed === 0) return { state: mirrored ? 'applied' : 'ignored', reason: mirrored ? `mirror updated (${reason}); no link pointed at it` : `no link pointed at the ${reason} contact` };
    return { state: 'applied', reason: `${changed} link(s) changed: ${reason}${survivorId && reason === 'merged' ? ` into ${survivorId}` : ''}` };
  }

  /** The remote contact, or why the provider no longer serves it. */
  private async read(open: OpenConnection, kind: ContactKind, id: string): Promise<{ remote: RemoteContact } | { gone: { reason: InactiveReason | undefined; survivorId: string | undefined } }> {
    try {
      return { remote: await open.session.contacts.get({ kind, id }) };
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not_found') return { gone: { reason: 'deleted', survivorId: undefined } };
      if (isConnectorError(error) && error.kind === 'remote_inactive') return { gone: { reason: error.reason, survivorId: error.survivorId } };
      throw error;
    }
  }

}
