import { Injectable } from '@nestjs/common';
import { Contact } from '@ledgerlink/connector-sdk';
import { decideSync, type FieldProvenance, type SyncConnection, type SyncFieldDecision, type SyncFieldDirection, syncContentHash } from '@ledgerlink/core';
import { JsonLogger } from '../common/json-logger.js';
import { contentHash } from '../contacts/contact-content.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { RemoteChangeListener } from '../pull/remote-change-listener.js';
import { applyValues, defaultDirections, directionsFromRules, policyFromSettings, readBase, readValues, takesIn } from './crm-fields.js';
import { CrmSyncQueue } from './crm-sync.queue.js';
import { CrmSyncRepository, type Tx } from './crm-sync.repository.js';

export interface PropagationResult {
  readonly contactId: string;
  /** True when the remote record held nothing new against the link's base (our own write coming back, or no change). */
  readonly echo: boolean;
  readonly reason: string;
  /** Canonical fields that changed. */
  readonly changed: readonly string[];
  /** Connections a write was queued for. */
  readonly writesTo: readonly string[];
}

/** FieldDecision.rule for each of core's rules. */
const RULES: Record<SyncFieldDecision['rule'], string> = {
  same: 'same',
  owner: 'field_owner',
  only_one_changed: 'only_change',
  newer: 'last_writer',
  tie: 'tie',
  direction: 'direction',
  own_write: 'echo',
};

type Participant = Awaited<ReturnType<typeof CrmSyncRepository.participants>>[number];

/**
 * The hub side of the bidirectional contact sync: a linked remote contact that changed (pulled,
 * polled, or announced by a webhook) is compared with its link's base, decided field by field by
 * core's decideSync, applied to the canonical Contact, recorded as FieldDecisions, and fanned out
 * as `crm-write` jobs to every other linked connection that takes those fields (CrmWriteRunner).
 */
@Injectable()
export class CrmSyncService implements RemoteChangeListener {
  constructor(
    private readonly repository: CrmSyncRepository,
    private readonly registry: ConnectorRegistry,
    private readonly queue: CrmSyncQueue,
    private readonly logger: JsonLogger,
  ) {}

  /**
   * Entry point for inbound webhooks: the connection's remote contact `remoteId` changed and its
   * mirror (RemoteContact) has been refreshed. Returns one result per hub contact linked to it.
   */
  async propagateRemoteChange(connectionId: string, remoteId: string): Promise<PropagationResult[]> {
    const connection = await this.repository.connection(connectionId);
    if (!connection) return [];
    return this.propagate(connection.workspaceId, connectionId, remoteId);
  }

  /** RemoteChangeListener: called by the pull runner after it stored a remote contact. */
  async remoteContactStored(workspaceId: string, connectionId: string, remoteId: string): Promise<void> {
    await this.propagate(workspaceId, connectionId, remoteId);
  }

  async propagate(workspaceId: string, connectionId: string, remoteId: string): Promise<PropagationResult[]> {
    const results: PropagationResult[] = [];
    for (const contactId of await this.repository.contactsLinkedTo(workspaceId, connectionId, remoteId)) {
      results.push(await this.propagateContact(workspaceId, contactId, connectionId));
    }
    return results;
  }

  /** Decides the source connection's mirrored record of this contact against the hub and queues the writes. */
  async propagateContact(workspaceId: string, contactId: string, sourceConnectionId: string): Promise<PropagationResult> {
    const result = await this.repository.withContactLock(workspaceId, contactId, (tx) => this.decide(tx, workspaceId, contactId, sourceConnectionId));
    for (const connectionId of result.writesTo) {
      await this.queue.addWrite({ workspaceId, contactId, connectionId }, `${result.version}:${result.writeHashes[connectionId] ?? ''}`);
    }
    if (result.changed.length > 0 || result.writesTo.length > 0) {
      this.logger.info('crm sync decided a change', { contactId, source: sourceConnectionId, changed: result.changed, writesTo: result.writesTo });
    }
    return { contactId, echo: result.echo, reason: result.reason, changed: result.changed, writesTo: result.writesTo };
  }

  private async decide(tx: Tx, workspaceId: string, contactId: string, sourceConnectionId: string) {
    const nothing = (reason: string, echo = false) => ({ echo, reason, changed: [] as string[], writesTo: [] as string[], writeHashes: {} as Record<string, string>, version: 0 });
    const contact = await CrmSyncRepository.loadContact(tx, workspaceId, contactId);
    if (!contact) return nothing('the contact was deleted');
    const participants = await CrmSyncRepository.participants(tx, workspaceId, contactId);
    const source = participants.find((p) => p.connection.id === sourceConnectionId);
    if (!source) return nothing('the connection is not linked, connected and enabled for this contact');
    if (!source.mirror || source.mirror.status !== 'active') return nothing('the remote contact is not active');
    // Only a contact linked to a two-way connection (a CRM) is kept in step both ways; elsewhere the
    // host app stays the source of its contacts and a pull only refreshes the mirror.
    if (!participants.some((p) => this.twoWay(p))) return nothing('no two-way (CRM) connection is linked to this contact');

    const directions = new Map(participants.map((p) => [p.connection.id, this.directionsOf(p, contact.kind)]));
    const sourceDirections = directions.get(source.connection.id) ?? {};
    const fields = new Set<string>();
    for (const d of directions.values()) for (const field of Object.keys(d)) fields.add(field);
    const hubContact = Contact.parse(contact.data);
    const canonical = readValues(hubContact, fields);
    const remote = readValues(Contact.parse(source.mirror.data), Object.keys(sourceDirections).filter((f) => takesIn(sourceDirections[f])));

    // The change: what the source holds now that differs from what it last agreed with the hub.
    const storedBase = readBase(source.link.baseData);
    const changedValues: Record<string, string | null> = {};
    const seeded: Record<string, string | null> = { ...(storedBase ?? {}) };
    for (const [field, value] of Object.entries(remote)) {
      if (storedBase !== null && Object.hasOwn(storedBase, field) && storedBase[field] === value) continue;
      changedValues[field] = value;
      // Never synced yet and the hub has no value: the remote's value only fills a gap.
      if (!Object.hasOwn(seeded, field) && canonical[field] === null) seeded[field] = null;
    }
    if (Object.keys(changedValues).length === 0) return nothing(`${source.connection.displayName} holds what it last agreed with the hub`, true);

    const latest = await CrmSyncRepository.latestDecisions(tx, workspaceId, contactId, [...fields]);
    const provenance: Record<string, FieldProvenance> = {};
    for (const [field, row] of latest) {
      const holder = participants.find((p) => p.connection.id === row.winner);
      const changedAt = typeof row.winningValue === 'object' && row.winningValue !== null && !Array.isArray(row.winningValue) ? row.winningValue.changedAt : null;
      provenance[field] = { source: row.winner, system: holder ? this.systemOf(holder) : 'hub', changedAt: typeof changedAt === 'string' ? changedAt : row.createdAt.toISOString() };
    }
    const connections: SyncConnection[] = participants.map((p) => ({
      id: p.connection.id,
      system: this.systemOf(p),
      name: p.connection.displayName,
      directions: directions.get(p.connection.id) ?? {},
      base: p === source ? seeded : readBase(p.link.baseData),
      lastPushedHash: p.link.lastPushedHash,
    }));
    const changedAt = (source.mirror.remoteUpdatedAt ?? new Date()).toISOString();
    const outcome = decideSync({
      change: { source: source.connection.id, values: changedValues, changedAt },
      canonical,
      provenance,
      connections,
      policy: policyFromSettings(participants.map((p) => p.connection.settings)),
    });

    // The source's new base: the fields it now agrees on with the hub. A value the hub refused is
    // what the source holds until the write back lands: it is the base too, so reading it again is
    // not another change (the write job compares with what the remote holds, not with the base).
    const now = new Date();
    const nextBase: Record<string, string | null> = { ...(outcome.connections[source.connection.id]?.base ?? seeded) };
    for (const d of outcome.decisions) if (d.lost?.source === source.connection.id) nextBase[d.field] = changedValues[d.field] ?? null;
    await tx.contactLink.update({
      where: { id: source.link.id },
      data: { baseData: nextBase as Prisma.InputJsonValue, lastPulledHash: syncContentHash(remote), lastSyncedAt: now },
    });
    if (outcome.echo) return nothing(outcome.reason, true);

    const changed = Object.keys(outcome.canonical).filter((field) => outcome.canonical[field] !== canonical[field]);
    let version = contact.version;
    if (changed.length > 0) {
      const next = Contact.parse(applyValues(hubContact, Object.fromEntries(changed.map((f) => [f, outcome.canonical[f] ?? null]))));
      const hash = contentHash(next);
      if (hash !== contact.contentHash) {
        const email = readValues(next, ['emails[primary]'])['emails[primary]'] ?? null;
        const phone = readValues(next, ['phones[primary]'])['phones[primary]'] ?? null;
        const updated = await tx.contact.update({
          where: { id: contact.id },
          data: { data: next as unknown as Prisma.InputJsonValue, contentHash: hash, email: email?.toLowerCase() ?? null, phone, version: { increment: 1 } },
          select: { version: true },
        });
        version = updated.version;
      }
    }
    for (const d of outcome.decisions) {
      if (d.rule === 'same' || (d.rule === 'direction' && d.lost === null)) continue;
      const winnerChangedAt = d.winner === source.connection.id ? changedAt : (outcome.provenance[d.field]?.changedAt ?? null);
      await tx.fieldDecision.create({
        data: {
          workspaceId,
          contactId,
          field: d.field,
          winner: d.winner,
          winningValue: { value: d.value, changedAt: winnerChangedAt },
          loser: d.lost?.source ?? null,
          ...(d.lost ? { losingValue: { value: d.lost.value } } : {}),
          rule: RULES[d.rule],
          reason: d.explanation,
        },
      });
    }
    const writeHashes = Object.fromEntries(outcome.writes.map((w) => [w.connectionId, w.hash]));
    return { echo: false, reason: outcome.reason, changed, writesTo: outcome.writes.map((w) => w.connectionId), writeHashes, version };
  }

  directionsOf(p: Participant, kind: string): Record<string, SyncFieldDirection> {
    for (const mapping of p.mappings) {
      if (mapping.entity !== 'contact' && mapping.entity !== kind) continue;
      const directions = directionsFromRules(mapping.rules);
      if (directions) return directions;
    }
    return defaultDirections();
  }

  private twoWay(p: Participant): boolean {
    const capabilities = this.registry.find(p.connection.connectorId)?.definition.capabilities;
    return capabilities?.bidirectional === true || capabilities?.changeFeed === true;
  }

  private systemOf(p: Participant): 'accounting' | 'crm' {
    return this.registry.find(p.connection.connectorId)?.definition.category === 'crm' ? 'crm' : 'accounting';
  }
}
