import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { hubEvent } from '../events/hub-event.js';

export interface ConnectionRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly connectorId: string;
  readonly displayName: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly enabled: boolean;
  readonly tenantId: string | null;
  readonly tenantName: string | null;
  readonly createdAt: Date;
}

export interface PendingOAuth {
  readonly connectionId: string;
  /** The company or tenant the connection already had (a reconnect must choose the same). */
  readonly tenantId: string | null;
  readonly tenantName: string | null;
  readonly workspaceId: string;
  readonly connectorId: string;
  readonly userId: string | null;
  readonly expiresAt: Date | null;
}

const SELECT = {
  id: true,
  workspaceId: true,
  connectorId: true,
  displayName: true,
  status: true,
  statusReason: true,
  enabled: true,
  tenantId: true,
  tenantName: true,
  createdAt: true,
} as const;

@Injectable()
export class ConnectionsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  list(workspaceId: string): Promise<ConnectionRow[]> {
    return this.prisma.connection.findMany({ where: { workspaceId }, select: SELECT, orderBy: { createdAt: 'asc' } });
  }

  find(workspaceId: string, connectionId: string): Promise<ConnectionRow | null> {
    return this.prisma.connection.findFirst({ where: { workspaceId, id: connectionId }, select: SELECT });
  }

  createPending(input: {
    readonly workspaceId: string;
    readonly connectorId: string;
    readonly displayName: string;
    readonly stateHash: string;
    readonly userId: string;
    readonly expiresAt: Date;
  }): Promise<ConnectionRow> {
    return this.prisma.connection.create({
      data: {
        workspaceId: input.workspaceId,
        connectorId: input.connectorId,
        displayName: input.displayName,
        status: 'pending',
        oauthStateHash: input.stateHash,
        oauthStateUserId: input.userId,
        oauthStateExpiresAt: input.expiresAt,
      },
      select: SELECT,
    });
  }

  /** Starts a reconnect of an existing connection: a new one-time state on the same row. */
  async prepareReconnect(input: { readonly workspaceId: string; readonly connectionId: string; readonly stateHash: string; readonly userId: string; readonly expiresAt: Date }): Promise<void> {
    await this.prisma.connection.updateMany({
      where: { id: input.connectionId, workspaceId: input.workspaceId },
      data: { oauthStateHash: input.stateHash, oauthStateUserId: input.userId, oauthStateExpiresAt: input.expiresAt },
    });
  }

  /** The sealed credentials (null once disconnected). */
  async credentials(workspaceId: string, connectionId: string): Promise<string | null> {
    const row = await this.prisma.connection.findFirst({ where: { id: connectionId, workspaceId }, select: { credentials: true } });
    return row?.credentials ?? null;
  }

  /** Pauses or resumes the connection, audited with who did it. */
  async setEnabled(workspaceId: string, connectionId: string, enabled: boolean, actor: { readonly type: 'user' | 'host'; readonly id: string | null }): Promise<ConnectionRow | null> {
    return this.prisma.$transaction(async (tx) => {
      const changed = await tx.connection.updateMany({ where: { id: connectionId, workspaceId, enabled: !enabled }, data: { enabled } });
      if (changed.count === 1) {
        await tx.auditLog.create({
          data: { workspaceId, actorType: actor.type, actorId: actor.id, action: enabled ? 'connection.enabled' : 'connection.paused', entityType: 'connection', entityId: connectionId, details: {} },
        });
        await tx.hubEvent.create(hubEvent(workspaceId, enabled ? 'connection.enabled' : 'connection.paused', { connectionId, actorType: actor.type }));
      }
      return tx.connection.findFirst({ where: { workspaceId, id: connectionId }, select: SELECT });
    });
  }

  /**
   * Disconnected: the credentials are erased and the status says why; links, mappings and
   * history stay for a reconnect.
   */
  async markDisconnected(
    workspaceId: string,
    connectionId: string,
    input: { readonly reason: string; readonly revoked: boolean; readonly actor: { readonly type: 'user' | 'host'; readonly id: string | null } },
  ): Promise<ConnectionRow | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.connection.updateMany({
        where: { id: connectionId, workspaceId },
        data: { status: 'disconnected', statusReason: input.reason, credentials: null, oauthStateHash: null, oauthStateUserId: null, oauthStateExpiresAt: null },
      });
      await tx.auditLog.create({
        data: {
          workspaceId, actorType: input.actor.type, actorId: input.actor.id, action: 'connection.disconnected', entityType: 'connection', entityId: connectionId,
          details: { revoked: input.revoked, reason: input.reason },
        },
      });
      await tx.hubEvent.create(hubEvent(workspaceId, 'connection.disconnected', { connectionId, revoked: input.revoked, reason: input.reason }));
      return tx.connection.findFirst({ where: { workspaceId, id: connectionId }, select: SELECT });
    });
  }

  findOAuthState(stateHash: string): Promise<PendingOAuth | null> {
    return this.prisma.connection
      .findUnique({
        where: { oauthStateHash: stateHash },
        select: { id: true, workspaceId: true, connectorId: true, tenantId: true, tenantName: true, oauthStateUserId: true, oauthStateExpiresAt: true },
      })
      .then((row) =>
        row ? { connectionId: row.id, tenantId: row.tenantId, tenantName: row.tenantName, workspaceId: row.workspaceId, connectorId: row.connectorId, userId: row.oauthStateUserId, expiresAt: row.oauthStateExpiresAt } : null,
      );
  }

  /**
   * Clears the pending OAuth state in one conditional statement, so a state is used once only,
   * even when two callbacks race. False when it was already taken.
   */
  async consumeOAuthState(connectionId: string, stateHash: string): Promise<boolean> {
    const taken = await this.prisma.connection.updateMany({
      where: { id: connectionId, oauthStateHash: stateHash },
      data: { oauthStateHash: null, oauthStateExpiresAt: null, oauthStateUserId: null },
    });
    return taken.count === 1;
  }

  async markConnected(input: {
    readonly workspaceId: string;
    readonly connectionId: string;
    readonly tenantId: string;
    readonly tenantName: string;
    readonly sealedCredentials: string;
    readonly userId: string | null;
    readonly connectorId: string;
  }): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.connection.updateMany({
        where: { id: input.connectionId, workspaceId: input.workspaceId },
        data: { status: 'connected', statusReason: null, tenantId: input.tenantId, tenantName: input.tenantName, credentials: input.sealedCredentials },
      }),
      this.prisma.auditLog.create({
        data: {
          workspaceId: input.workspaceId,
          actorType: 'user',
          actorId: input.userId,
          action: 'connection.connected',
          entityType: 'connection',
          entityId: input.connectionId,
          details: { connectorId: input.connectorId, tenantId: input.tenantId, tenantName: input.tenantName },
        },
      }),
    ]);
  }

  async markFailed(workspaceId: string, connectionId: string, reason: string): Promise<void> {
    await this.prisma.connection.updateMany({ where: { id: connectionId, workspaceId, status: { not: 'connected' } }, data: { statusReason: reason } });
  }
}
