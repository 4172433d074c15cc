import { Inject, Injectable } from '@nestjs/common';
import type { ActivityPage, ActivityQuery } from '@ledgerlink/contract';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import type { AuthContext } from '../auth/auth.context.js';

interface Cursor {
  readonly at: Date;
  readonly id: string;
}

const encodeCursor = (c: Cursor): string => Buffer.from(`${c.at.toISOString()}|${c.id}`, 'utf8').toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [iso = '', id = ''] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const at = new Date(iso);
  if (!id || Number.isNaN(at.getTime())) {
    throw ApiErrors.invalid('The cursor is not one this API gave out.', [{ path: 'cursor', message: 'pass nextCursor from the previous page unchanged, or leave it out for the first page' }]);
  }
  return { at, id };
}

/** The workspace's audit trail (AuditLog), newest first, keyset paged on (createdAt, id). */
@Injectable()
export class ActivityService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async list(auth: AuthContext, query: ActivityQuery): Promise<ActivityPage> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const createdAt: Prisma.DateTimeFilter = {};
    if (query.from) createdAt.gte = new Date(query.from);
    if (query.to) createdAt.lt = new Date(query.to);
    const where: Prisma.AuditLogWhereInput = {
      workspaceId: auth.workspaceId,
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.entityType ? { entityType: query.entityType } : {}),
      ...(query.entityId ? { entityId: query.entityId } : {}),
      ...(query.from || query.to ? { createdAt } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    };
    const rows = await this.prisma.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id, at: row.createdAt.toISOString(), actorType: row.actorType, actorId: row.actorId, action: row.action, entityType: row.entityType, entityId: row.entityId,
        details: row.details !== null && typeof row.details === 'object' && !Array.isArray(row.details) ? { ...row.details } : {},
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    };
  }
}
