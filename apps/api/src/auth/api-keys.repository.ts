import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export interface ApiKeyRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly role: string;
  readonly prefix: string;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface ApiKeyOwner extends ApiKeyRow {
  readonly workspaceName: string;
}

const SELECT = { id: true, workspaceId: true, name: true, role: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** API keys: only the SHA-256 of a key is stored; every query but the hash lookup is workspace-scoped. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async create(input: { readonly workspaceId: string; readonly name: string; readonly role: string; readonly prefix: string; readonly hash: string; readonly createdBy: string }): Promise<ApiKeyRow> {
    const [row] = await this.prisma.$transaction([
      this.prisma.apiKey.create({ data: input, select: SELECT }),
      this.prisma.auditLog.create({
        data: { workspaceId: input.workspaceId, actorType: 'user', actorId: input.createdBy, action: 'api_key.created', entityType: 'api_key', details: { name: input.name, role: input.role, prefix: input.prefix } },
      }),
    ]);
    return row;
  }

  list(workspaceId: string): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({ where: { workspaceId }, select: SELECT, orderBy: { createdAt: 'asc' } });
  }

  find(workspaceId: string, id: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findFirst({ where: { workspaceId, id }, select: SELECT });
  }

  async revoke(workspaceId: string, id: string, userId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.apiKey.updateMany({ where: { workspaceId, id, revokedAt: null }, data: { revokedAt: new Date() } }),
      this.prisma.auditLog.create({ data: { workspaceId, actorType: 'user', actorId: userId, action: 'api_key.revoked', entityType: 'api_key', entityId: id } }),
    ]);
  }

  async findByHash(hash: string): Promise<ApiKeyOwner | null> {
    const row = await this.prisma.apiKey.findUnique({ where: { hash }, select: { ...SELECT, workspace: { select: { name: true } } } });
    if (!row) return null;
    const { workspace, ...key } = row;
    return { ...key, workspaceName: workspace.name };
  }

  /** Records use at most once a minute per key (not a write per request). */
  async touch(id: string, now: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });
  }

  /** Names of API keys by id (for showing who changed a link). */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.apiKey.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
