import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@ledgerlink/contract';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

/** Workspaces, users and memberships for seeding and for creating workspaces. */
@Injectable()
export class SeedRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async findOrCreateWorkspace(name: string): Promise<string> {
    const existing = await this.prisma.workspace.findFirst({ where: { name }, orderBy: { createdAt: 'asc' }, select: { id: true } });
    if (existing) return existing.id;
    return (await this.prisma.workspace.create({ data: { name }, select: { id: true } })).id;
  }

  async createWorkspace(name: string): Promise<string> {
    return (await this.prisma.workspace.create({ data: { name }, select: { id: true } })).id;
  }

  async findUser(email: string): Promise<{ id: string } | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  }

  async createUser(input: { readonly email: string; readonly name: string; readonly passwordHash: string }): Promise<string> {
    return (await this.prisma.user.create({ data: { ...input, email: input.email.toLowerCase() }, select: { id: true } })).id;
  }

  async ensureMembership(workspaceId: string, userId: string, role: Role): Promise<void> {
    await this.prisma.membership.upsert({
      where: { workspaceId_userId: { workspaceId, userId } },
      create: { workspaceId, userId, role },
      update: {},
    });
  }
}
