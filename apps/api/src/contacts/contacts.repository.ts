import { Inject, Injectable } from '@nestjs/common';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export interface ContactRow {
  readonly id: string;
  readonly workspaceId: string;
  readonly externalId: string;
  readonly kind: string;
  readonly displayName: string;
  readonly companyName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly data: unknown;
  readonly version: number;
  readonly contentHash: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface LinkRow {
  readonly id: string;
  readonly connectionId: string;
  readonly contactId: string;
  readonly remoteId: string | null;
  readonly remoteName: string | null;
  readonly state: string;
  readonly reason: string | null;
  readonly updatedAt: Date;
}

export interface ContactFields {
  readonly kind: string;
  readonly displayName: string;
  readonly companyName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly data: Prisma.InputJsonValue;
  readonly contentHash: string;
}

export interface ContactFilter {
  readonly kind?: string | undefined;
  readonly q?: string | undefined;
  /** Link state on `connectionId` (any connection without it); `not_linked` is the legacy linked=false. */
  readonly link?: 'linked' | 'unlinked' | 'invalid' | 'suggested' | 'not_linked' | undefined;
  readonly connectionId?: string | undefined;
}

/** `%`, `_` and `\` taken literally in ILIKE. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const CONTACT_SELECT = {
  id: true,
  workspaceId: true,
  externalId: true,
  kind: true,
  displayName: true,
  companyName: true,
  email: true,
  phone: true,
  data: true,
  version: true,
  contentHash: true,
  createdAt: true,
  updatedAt: true,
} as const;

const LINK_SELECT = { id: true, connectionId: true, contactId: true, remoteId: true, remoteName: true, state: true, reason: true, updatedAt: true } as const;

@Injectable()
export class ContactsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findByExternalId(workspaceId: string, externalId: string): Promise<ContactRow | null> {
    return this.prisma.contact.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } }, select: CONTACT_SELECT });
  }

  findByIds(workspaceId: string, ids: readonly string[]): Promise<ContactRow[]> {
    return this.prisma.contact.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: CONTACT_SELECT });
  }

  findByExternalIds(workspaceId: string, externalIds: readonly string[]): Promise<Array<Pick<ContactRow, 'id' | 'externalId' | 'contentHash'>>> {
    return this.prisma.contact.findMany({ where: { workspaceId, externalId: { in: [...externalIds] } }, select: { id: true, externalId: true, contentHash: true } });
  }

  /** Creates many at once; an external id created meanwhile by another request is skipped (the count says how many were made). */
  async createMany(workspaceId: string, rows: ReadonlyArray<{ readonly externalId: string; readonly fields: ContactFields }>): Promise<number> {
    const result = await this.prisma.contact.createMany({ data: rows.map((row) => ({ workspaceId, externalId: row.externalId, ...row.fields, version: 1 })), skipDuplicates: true });
    return result.count;
  }

  async audit(workspaceId: string, actor: { readonly actorType: string; readonly actorId: string }, action: string, details: Prisma.InputJsonValue): Promise<void> {
    await this.prisma.auditLog.create({ data: { workspaceId, actorType: actor.actorType, actorId: actor.actorId, action, entityType: 'contact', details } });
  }

  create(workspaceId: string, externalId: string, fields: ContactFields): Promise<ContactRow> {
    return this.prisma.contact.create({ data: { workspaceId, externalId, ...fields, version: 1 }, select: CONTACT_SELECT });
  }

  /** Writes new content and bumps the version, unless the content hash is unchanged. */
  async updateContent(workspaceId: string, contactId: string, fields: ContactFields): Promise<ContactRow | null> {
    await this.prisma.contact.updateMany({
      where: { id: contactId, workspaceId, contentHash: { not: fields.contentHash } },
      data: { ...fields, version: { increment: 1 } },
    });
    return this.prisma.contact.findFirst({ where: { id: contactId, workspaceId }, select: CONTACT_SELECT });
  }

  /**
   * One page of contacts, by display name. The link filters are EXISTS sub-queries on the link and
   * suggestion indexes, so a filtered page costs the same at 100,000 contacts as at 100 (nothing
   * is loaded to build the filter).
   */
  async list(workspaceId: string, filter: ContactFilter, page: { readonly skip: number; readonly take: number }): Promise<{ rows: ContactRow[]; total: number }> {
    const conditions: Prisma.Sql[] = [Prisma.sql`c."workspaceId" = ${workspaceId}`];
    if (filter.kind) conditions.push(Prisma.sql`c."kind" = ${filter.kind}`);
    if (filter.q) {
      const pattern = likePattern(filter.q);
      conditions.push(Prisma.sql`(c."displayName" ILIKE ${pattern} OR c."email" ILIKE ${pattern} OR c."companyName" ILIKE ${pattern} OR c."externalId" ILIKE ${pattern})`);
    }
    const onConnection = filter.connectionId ? Prisma.sql` AND l."connectionId" = ${filter.connectionId}` : Prisma.empty;
    const links = (states: readonly string[]) =>
      Prisma.sql`EXISTS (SELECT 1 FROM "ContactLink" l WHERE l."workspaceId" = ${workspaceId} AND l."contactId" = c."id" AND l."state" IN (${Prisma.join(states)})${onConnection})`;
    switch (filter.link) {
      case 'linked':
        conditions.push(links(['linked']));
        break;
      case 'not_linked':
        conditions.push(Prisma.sql`NOT ${links(['linked'])}`);
        break;
      case 'unlinked':
        conditions.push(Prisma.sql`NOT ${links(['linked', 'pending', 'invalid'])}`);
        break;
      case 'invalid':
        conditions.push(links(['invalid']));
        break;
      case 'suggested': {
        const onSuggestion = filter.connectionId ? Prisma.sql` AND s."connectionId" = ${filter.connectionId}` : Prisma.empty;
        conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "MatchSuggestion" s WHERE s."workspaceId" = ${workspaceId} AND s."contactId" = c."id" AND s."state" = 'pending'${onSuggestion})`);
        break;
      }
      case undefined:
        break;
    }
    const where = Prisma.join(conditions, ' AND ');
    const [idRows, counted] = await Promise.all([
      this.prisma.$queryRaw<Array<{ id: string }>>`SELECT c."id" FROM "Contact" c WHERE ${where} ORDER BY c."displayName" ASC, c."id" ASC LIMIT ${page.take} OFFSET ${page.skip}`,
      this.prisma.$queryRaw<Array<{ total: bigint | number }>>`SELECT COUNT(*) AS total FROM "Contact" c WHERE ${where}`,
    ]);
    const byId = new Map((await this.findByIds(workspaceId, idRows.map((r) => r.id))).map((row) => [row.id, row]));
    const rows = idRows.flatMap((r) => byId.get(r.id) ?? []);
    return { rows, total: Number(counted[0]?.total ?? 0) };
  }

  /** Links shown to people: pending (in-flight) links are internal. */
  linksFor(workspaceId: string, contactIds: readonly string[], connectionId?: string): Promise<LinkRow[]> {
    return this.prisma.contactLink.findMany({
      where: { workspaceId, contactId: { in: [...contactIds] }, state: { not: 'pending' }, remoteId: { not: null }, ...(connectionId ? { connectionId } : {}) },
      select: LINK_SELECT,
      orderBy: { createdAt: 'asc' },
    });
  }
}
