import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export type Tx = Prisma.TransactionClient;

export interface PollableConnection {
  readonly id: string;
  readonly workspaceId: string;
  readonly connectorId: string;
}

/** The rows the bidirectional CRM sync reads and writes; every query is scoped to a workspace. */
@Injectable()
export class CrmSyncRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /**
   * Runs `work` in one transaction under an advisory lock on the contact, so two changes of one
   * contact (from two connections at once) are decided one after the other.
   */
  withContactLock<T>(workspaceId: string, contactId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`crm-sync:${workspaceId}:${contactId}`}))`;
        return work(tx);
      },
      { timeout: 20_000 },
    );
  }

  connection(connectionId: string): Promise<{ id: string; workspaceId: string } | null> {
    return this.prisma.connection.findUnique({ where: { id: connectionId }, select: { id: true, workspaceId: true } });
  }

  /** Contacts linked to this remote record on this connection. */
  async contactsLinkedTo(workspaceId: string, connectionId: string, remoteId: string): Promise<string[]> {
    const rows = await this.prisma.contactLink.findMany({ where: { workspaceId, connectionId, remoteId, state: 'linked' }, select: { contactId: true } });
    return rows.map((r) => r.contactId);
  }

  async mirrorUpdatedAt(workspaceId: string, connectionId: string, remoteId: string): Promise<Date | null> {
    const row = await this.prisma.remoteContact.findFirst({ where: { workspaceId, connectionId, remoteId }, select: { remoteUpdatedAt: true } });
    return row?.remoteUpdatedAt ?? null;
  }

  pollableConnections(): Promise<PollableConnection[]> {
    return this.prisma.connection.findMany({ where: { status: 'connected', enabled: true }, select: { id: true, workspaceId: true, connectorId: true }, orderBy: { createdAt: 'asc' } });
  }

  static async loadContact(tx: Tx, workspaceId: string, contactId: string) {
    return tx.contact.findFirst({ where: { id: contactId, workspaceId }, select: { id: true, kind: true, data: true, version: true, contentHash: true } });
  }

  /** The contact's linked links on connected, enabled connections, with their connection and mirror. */
  static async participants(tx: Tx, workspaceId: string, contactId: string) {
    const links = await tx.contactLink.findMany({
      where: { workspaceId, contactId, state: 'linked', remoteId: { not: null } },
      select: { id: true, connectionId: true, remoteId: true, baseData: true, lastPushedHash: true },
      orderBy: { createdAt: 'asc' },
    });
    if (links.length === 0) return [];
    const connections = await tx.connection.findMany({
      where: { workspaceId, id: { in: links.map((l) => l.connectionId) }, status: 'connected', enabled: true },
      select: { id: true, connectorId: true, displayName: true, settings: true },
    });
    const mirrors = await tx.remoteContact.findMany({
      where: { workspaceId, OR: links.map((l) => ({ connectionId: l.connectionId, remoteId: l.remoteId ?? '' })) },
      select: { connectionId: true, remoteId: true, status: true, data: true, version: true, remoteUpdatedAt: true },
    });
    const mappings = await tx.fieldMapping.findMany({
      where: { workspaceId, connectionId: { in: connections.map((c) => c.id) }, effectiveFrom: { lte: new Date() } },
      select: { connectionId: true, entity: true, version: true, rules: true },
      orderBy: { version: 'desc' },
    });
    const result = [];
    for (const link of links) {
      const connection = connections.find((c) => c.id === link.connectionId);
      if (!connection || link.remoteId === null) continue;
      const mirror = mirrors.find((m) => m.connectionId === link.connectionId && m.remoteId === link.remoteId) ?? null;
      result.push({ link: { ...link, remoteId: link.remoteId }, connection, mirror, mappings: mappings.filter((m) => m.connectionId === connection.id) });
    }
    return result;
  }

  /** The newest decision per field: who set the canonical value, and when that side changed it. */
  static async latestDecisions(tx: Tx, workspaceId: string, contactId: string, fields: readonly string[]) {
    const rows = await tx.fieldDecision.findMany({
      where: { workspaceId, contactId, field: { in: [...fields] } },
      select: { field: true, winner: true, winningValue: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    const latest = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!latest.has(row.field)) latest.set(row.field, row);
    return latest;
  }
}
