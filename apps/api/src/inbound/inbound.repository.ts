import { Inject, Injectable } from '@nestjs/common';
import type { ChangeEvent } from '@ledgerlink/connector-sdk';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export interface InboundRow {
  readonly id: string;
  readonly workspaceId: string | null;
  readonly connectionId: string | null;
  readonly connectorId: string;
  readonly entity: string;
  readonly remoteId: string;
  readonly operation: string;
  readonly survivorId: string | null;
  readonly occurredAt: Date;
  readonly state: string;
}

export type InboundOutcome = 'applied' | 'ignored' | 'failed';

const SELECT = { id: true, workspaceId: true, connectionId: true, connectorId: true, entity: true, remoteId: true, operation: true, survivorId: true, occurredAt: true, state: true } as const;

/** InboundEvent rows and the lookups the webhook receiver needs. */
@Injectable()
export class InboundRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Connections of any workspace that a provider tenant belongs to (webhooks name the tenant, not the workspace). */
  connectionsOfTenant(connectorId: string, tenantId: string): Promise<Array<{ id: string; workspaceId: string }>> {
    return this.prisma.connection.findMany({ where: { connectorId, tenantId }, select: { id: true, workspaceId: true }, orderBy: { createdAt: 'asc' } });
  }

  /** Stores one event; answers null when the same dedupe key was stored before (a replayed delivery). */
  async store(
    connectorId: string,
    dedupeKey: string,
    event: ChangeEvent,
    target: { readonly workspaceId: string; readonly connectionId: string } | null,
    ignoredReason?: string,
  ): Promise<InboundRow | null> {
    const result = await this.prisma.inboundEvent.createMany({
      data: [
        {
          connectorId,
          dedupeKey,
          workspaceId: target?.workspaceId ?? null,
          connectionId: target?.connectionId ?? null,
          entity: event.entity,
          remoteId: event.id,
          operation: event.operation,
          survivorId: event.survivorId ?? null,
          occurredAt: new Date(event.occurredAt),
          ...(ignoredReason ? { state: 'ignored', reason: ignoredReason, processedAt: new Date() } : {}),
        },
      ],
      skipDuplicates: true,
    });
    if (result.count === 0) return null;
    return this.prisma.inboundEvent.findUnique({ where: { connectorId_dedupeKey: { connectorId, dedupeKey } }, select: SELECT });
  }

  find(id: string): Promise<InboundRow | null> {
    return this.prisma.inboundEvent.findUnique({ where: { id }, select: SELECT });
  }

  /** Leaves the event received (to be applied later) with a reason a person can read. */
  async hold(id: string, reason: string): Promise<void> {
    await this.prisma.inboundEvent.updateMany({ where: { id, state: 'received' }, data: { reason } });
  }

  /** Events of a connection still waiting to be applied, oldest first. */
  waiting(workspaceId: string, connectionId: string): Promise<InboundRow[]> {
    return this.prisma.inboundEvent.findMany({ where: { workspaceId, connectionId, state: 'received' }, select: SELECT, orderBy: { occurredAt: 'asc' } });
  }

  async finish(id: string, state: InboundOutcome, reason: string | null): Promise<void> {
    await this.prisma.inboundEvent.update({ where: { id }, data: { state, reason, processedAt: new Date() } });
  }

  /** When the mirror last saw the remote contact change (null when never, or unknown). */
  async mirrorUpdatedAt(workspaceId: string, connectionId: string, remoteId: string): Promise<Date | null> {
    const row = await this.prisma.remoteContact.findFirst({ where: { workspaceId, connectionId, remoteId }, select: { remoteUpdatedAt: true } });
    return row?.remoteUpdatedAt ?? null;
  }
}
