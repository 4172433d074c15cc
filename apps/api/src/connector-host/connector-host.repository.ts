import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { hubEvent } from '../events/hub-event.js';

export interface HostConnection {
  readonly id: string;
  readonly workspaceId: string;
  readonly connectorId: string;
  readonly displayName: string;
  readonly status: string;
  /** false while a person has paused the connection (PUT /connections/:id/enabled). */
  readonly enabled: boolean;
  readonly tenantId: string | null;
  /** Encrypted credentials (AES-256-GCM, bound to the connection id). */
  readonly credentials: string | null;
}

const SELECT = { id: true, workspaceId: true, connectorId: true, displayName: true, status: true, enabled: true, tenantId: true, credentials: true } as const;

/** The connection rows the connector host reads and the credentials it writes back. */
@Injectable()
export class ConnectorHostRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findConnection(workspaceId: string, connectionId: string): Promise<HostConnection | null> {
    return this.prisma.connection.findFirst({ where: { id: connectionId, workspaceId }, select: SELECT });
  }

  findConnections(workspaceId: string, connectionIds: readonly string[]): Promise<HostConnection[]> {
    return this.prisma.connection.findMany({ where: { workspaceId, id: { in: [...connectionIds] } }, select: SELECT });
  }

  async saveCredentials(workspaceId: string, connectionId: string, sealed: string): Promise<void> {
    await this.prisma.connection.updateMany({ where: { id: connectionId, workspaceId }, data: { credentials: sealed } });
  }

  async markNeedsReauth(workspaceId: string, connectionId: string, reason: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.connection.updateMany({ where: { id: connectionId, workspaceId }, data: { status: 'needs_reauth', statusReason: reason } }),
      this.prisma.auditLog.create({
        data: { workspaceId, actorType: 'system', action: 'connection.needs_reauth', entityType: 'connection', entityId: connectionId, details: { reason } },
      }),
      this.prisma.hubEvent.create(hubEvent(workspaceId, 'connection.needs_reauth', { connectionId, reason })),
    ]);
  }
}
