import { Inject, Injectable } from '@nestjs/common';
import type { RemoteContact } from '@ledgerlink/connector-sdk';
import type { LinkChange, LinkSnapshot } from '@ledgerlink/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { linkHubEvent } from '../events/hub-event.js';

export interface LinkKey {
  readonly workspaceId: string;
  readonly connectionId: string;
  readonly contactId: string;
}

export interface StoredLink {
  readonly id: string;
  readonly connectionId: string;
  readonly contactId: string;
  readonly state: string;
  readonly remoteId: string | null;
  readonly remoteName: string | null;
  readonly reason: string | null;
  readonly linkedBy: string;
  readonly idempotencyKey: string | null;
  readonly updatedAt: Date;
}

export interface MirrorRow {
  readonly remoteId: string;
  readonly kind: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly status: string;
  readonly mergedIntoId: string | null;
  readonly version: string | null;
}

export interface EventRow {
  readonly id: string;
  readonly connectionId: string;
  readonly type: string;
  readonly fromRemoteId: string | null;
  readonly toRemoteId: string | null;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly reason: string | null;
  readonly createdAt: Date;
}

export interface Actor {
  readonly actorType: 'user' | 'system' | 'host';
  readonly actorId: string | null;
}

/** A link change decided by core's transitionLink, with what the row needs besides the snapshot. */
export interface LinkWrite {
  readonly next: LinkSnapshot;
  readonly change: LinkChange;
  readonly remoteName: string | null;
  readonly remoteVersion: string | null;
  readonly linkedBy?: string;
  readonly survivorId?: string | null;
  /** The matching score of an automatic or suggested link (kept as it is when left out). */
  readonly score?: number | null;
}

const LINK_SELECT = { id: true, connectionId: true, contactId: true, state: true, remoteId: true, remoteName: true, reason: true, linkedBy: true, idempotencyKey: true, updatedAt: true } as const;
const MIRROR_SELECT = { remoteId: true, kind: true, displayName: true, email: true, status: true, mergedIntoId: true, version: true } as const;

/** Contact links, their events and the remote-contact mirror, always scoped by workspace. */
@Injectable()
export class LinksRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findLink(key: LinkKey): Promise<StoredLink | null> {
    return this.prisma.contactLink.findFirst({ where: { ...key }, select: LINK_SELECT });
  }

  linksOfContact(workspaceId: string, contactId: string): Promise<StoredLink[]> {
    return this.prisma.contactLink.findMany({ where: { workspaceId, contactId }, select: LINK_SELECT, orderBy: { createdAt: 'asc' } });
  }

  eventsOfContact(workspaceId: string, contactId: string): Promise<EventRow[]> {
    return this.prisma.linkEvent.findMany({
      where: { workspaceId, contactId },
      select: { id: true, connectionId: true, type: true, fromRemoteId: true, toRemoteId: true, actorType: true, actorId: true, reason: true, createdAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Links on this connection that point at one of these remote ids (linked or being created). */
  async holdersOf(workspaceId: string, connectionId: string, remoteIds: readonly string[]): Promise<Map<string, { contactId: string; displayName: string; state: string }>> {
    if (remoteIds.length === 0) return new Map();
    const links = await this.prisma.contactLink.findMany({
      where: { workspaceId, connectionId, remoteId: { in: [...remoteIds] }, state: { in: ['linked', 'pending'] } },
      select: { remoteId: true, contactId: true, state: true },
    });
    const names = await this.contactNames(workspaceId, links.map((l) => l.contactId));
    return new Map(links.flatMap((l) => (l.remoteId ? [[l.remoteId, { contactId: l.contactId, displayName: names.get(l.contactId) ?? l.contactId, state: l.state }] as const] : [])));
  }

  /** Linked contacts whose link points at this remote id. */
  linkedTo(workspaceId: string, connectionId: string, remoteId: string): Promise<StoredLink[]> {
    return this.prisma.contactLink.findMany({ where: { workspaceId, connectionId, remoteId, state: 'linked' }, select: LINK_SELECT });
  }

  async contactNames(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.contact.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: { id: true, displayName: true } });
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  searchMirror(workspaceId: string, connectionId: string, kind: string, text: string, limit: number): Promise<MirrorRow[]> {
    const where: Prisma.RemoteContactWhereInput = { workspaceId, connectionId, kind };
    if (text) {
      const contains = { contains: text, mode: 'insensitive' as const };
      where.OR = [{ displayName: contains }, { email: contains }, { remoteId: text }];
    }
    return this.prisma.remoteContact.findMany({ where, select: MIRROR_SELECT, orderBy: [{ displayName: 'asc' }, { remoteId: 'asc' }], take: limit });
  }

  /** The mirrored records of these links (for the contact page's summary of what the provider holds). */
  mirrorsOf(workspaceId: string, pairs: ReadonlyArray<{ readonly connectionId: string; readonly remoteId: string }>): Promise<Array<{ connectionId: string; remoteId: string; status: string; data: Prisma.JsonValue }>> {
    if (pairs.length === 0) return Promise.resolve([]);
    return this.prisma.remoteContact.findMany({
      where: { workspaceId, OR: pairs.map((p) => ({ connectionId: p.connectionId, remoteId: p.remoteId })) },
      select: { connectionId: true, remoteId: true, status: true, data: true },
    });
  }

  findMirror(workspaceId: string, connectionId: string, remoteId: string): Promise<MirrorRow | null> {
    return this.prisma.remoteContact.findFirst({ where: { workspaceId, connectionId, remoteId }, select: MIRROR_SELECT });
  }

  /** Keeps the local copy of a remote contact (for search and matching without API calls). */
  async mirror(workspaceId: string, connectionId: string, remote: RemoteContact): Promise<void> {
    const fields = {
      kind: remote.contact.kind,
      displayName: remote.contact.displayName ?? '',
      email: remote.contact.emails[0]?.address.toLowerCase() ?? null,
      status: remote.status,
      mergedIntoId: remote.mergedIntoId ?? null,
      version: remote.version ?? null,
      data: remote.contact as unknown as Prisma.InputJsonValue,
      remoteUpdatedAt: remote.updatedAt ? new Date(remote.updatedAt) : null,
      syncedAt: new Date(),
    };
    await this.prisma.remoteContact.upsert({
      where: { connectionId_remoteId: { connectionId, remoteId: remote.id } },
      create: { workspaceId, connectionId, remoteId: remote.id, ...fields },
      update: fields,
    });
  }

  /**
   * Writes a link change decided by transitionLink: the link row, one LinkEvent (who, when, why)
   * and one AuditLog entry, in one transaction. `guard` runs first inside the transaction under
   * an advisory lock on the remote record, so two requests cannot link one remote twice.
   */
  async write(key: LinkKey, write: LinkWrite, actor: Actor, guard?: (tx: Prisma.TransactionClient) => Promise<void>): Promise<void> {
    const { next, change } = write;
    await this.prisma.$transaction(async (tx) => {
      if (next.remoteId) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`link:${key.connectionId}:${next.remoteId}`}))`;
      if (guard) await guard(tx);
      const data = {
        state: next.state,
        remoteId: next.remoteId,
        remoteName: next.remoteId ? write.remoteName : null,
        remoteVersion: next.remoteId ? write.remoteVersion : null,
        reason: next.reason,
        idempotencyKey: next.idempotencyKey,
        survivorId: write.survivorId ?? null,
        ...(write.score !== undefined ? { score: write.score } : {}),
        ...(next.remoteId === null || change.fromRemoteId !== change.toRemoteId ? { lastPushedHash: null, lastPulledHash: null } : {}),
      };
      await tx.contactLink.upsert({
        where: { connectionId_contactId: { connectionId: key.connectionId, contactId: key.contactId } },
        create: { ...key, ...data, linkedBy: write.linkedBy ?? 'manual' },
        update: { ...data, ...(write.linkedBy ? { linkedBy: write.linkedBy } : {}) },
      });
      await tx.linkEvent.create({
        data: { ...key, type: change.type, fromRemoteId: change.fromRemoteId, toRemoteId: change.toRemoteId, actorType: actor.actorType, actorId: actor.actorId, reason: change.reason },
      });
      await tx.hubEvent.create(linkHubEvent(key, { type: change.type, actorType: actor.actorType, reason: change.reason, fromRemoteId: change.fromRemoteId, toRemoteId: change.toRemoteId }));
      await tx.auditLog.create({
        data: {
          workspaceId: key.workspaceId,
          actorType: actor.actorType,
          actorId: actor.actorId,
          action: `link.${change.type}`,
          entityType: 'contact',
          entityId: key.contactId,
          details: { connectionId: key.connectionId, fromRemoteId: change.fromRemoteId, toRemoteId: change.toRemoteId, reason: change.reason },
        },
      });
    });
  }

  /** Another contact holding `remoteId` on the connection (read inside a write's transaction). */
  static async otherHolder(tx: Prisma.TransactionClient, key: LinkKey, remoteId: string): Promise<{ contactId: string; displayName: string } | null> {
    const link = await tx.contactLink.findFirst({
      where: { workspaceId: key.workspaceId, connectionId: key.connectionId, remoteId, state: { in: ['linked', 'pending'] }, contactId: { not: key.contactId } },
      select: { contactId: true },
    });
    if (!link) return null;
    const contact = await tx.contact.findFirst({ where: { id: link.contactId, workspaceId: key.workspaceId }, select: { displayName: true } });
    return { contactId: link.contactId, displayName: contact?.displayName ?? link.contactId };
  }
}
