import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import type { Role } from '@ledgerlink/contract';

export interface SessionRecord {
  readonly sessionId: string;
  readonly expiresAt: Date;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly workspaceId: string;
  readonly workspaceName: string;
}

export interface LoginCandidate {
  readonly userId: string;
  readonly passwordHash: string;
  readonly workspaceId: string | null;
}

/** Users and sessions. Users are global; a session is bound to one workspace membership. */
@Injectable()
export class AuthRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async findLoginCandidate(email: string): Promise<LoginCandidate | null> {
    const user = await this.prisma.user.findUnique({
      where: { email: email.toLowerCase() },
      select: { id: true, passwordHash: true, memberships: { select: { workspaceId: true }, orderBy: { createdAt: 'asc' }, take: 1 } },
    });
    if (!user) return null;
    return { userId: user.id, passwordHash: user.passwordHash, workspaceId: user.memberships[0]?.workspaceId ?? null };
  }

  async createSession(input: { readonly id: string; readonly userId: string; readonly workspaceId: string; readonly expiresAt: Date }): Promise<void> {
    await this.prisma.session.create({ data: input });
  }

  async findSession(sessionId: string): Promise<SessionRecord | null> {
    const session = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { id: true, expiresAt: true, workspaceId: true, user: { select: { id: true, email: true, name: true } } },
    });
    if (!session) return null;
    const membership = await this.prisma.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: session.workspaceId, userId: session.user.id } },
      select: { role: true, workspace: { select: { id: true, name: true } } },
    });
    if (!membership) return null;
    return {
      sessionId: session.id,
      expiresAt: session.expiresAt,
      userId: session.user.id,
      email: session.user.email,
      name: session.user.name,
      role: membership.role as Role,
      workspaceId: membership.workspace.id,
      workspaceName: membership.workspace.name,
    };
  }

  /** Every workspace the user belongs to, oldest membership first. */
  async memberships(userId: string): Promise<Array<{ workspaceId: string; name: string; role: Role }>> {
    const rows = await this.prisma.membership.findMany({ where: { userId }, select: { role: true, workspace: { select: { id: true, name: true } } }, orderBy: { createdAt: 'asc' } });
    return rows.map((row) => ({ workspaceId: row.workspace.id, name: row.workspace.name, role: row.role as Role }));
  }

  /** Points the session at another workspace, only where the user is a member; false otherwise. */
  async moveSession(sessionId: string, userId: string, workspaceId: string): Promise<boolean> {
    const member = await this.prisma.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: { role: true } });
    if (!member) return false;
    const moved = await this.prisma.session.updateMany({ where: { id: sessionId, userId }, data: { workspaceId } });
    return moved.count === 1;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }

  async deleteExpiredSessions(userId: string, now: Date): Promise<void> {
    await this.prisma.session.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  }
}
