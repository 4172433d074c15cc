import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
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
  /** Restrict to these ids (linked filter) or exclude them. */
  readonly ids?: { readonly in: readonly string[] } | { readonly notIn: readonly string[] } | undefined;
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

  async list(workspaceId: string, filter: ContactFilter, page: { readonly skip: number; readonly take: number }): Promise<{ rows: ContactRow[]; total: number }> {
    const where: Prisma.ContactWhereInput = { workspaceId };
    if (filter.kind) where.kind = filter.kind;
    if (filter.ids) where.id = 'in' in filter.ids ? { in: [...filter.ids.in] } : { notIn: [...filter.ids.notIn] };
    if (filter.q) {
      const contains = { contains: filter.q, mode: 'insensitive' as const };
      where.OR = [{ displayName: contains }, { email: contains }, { companyName: contains }, { externalId: contains }];
    }
    const [rows, total] = await Promise.all([
      this.prisma.contact.findMany({ where, select: CONTACT_SELECT, orderBy: [{ displayName: 'asc' }, { id: 'asc' }], skip: page.skip, take: page.take }),
      this.prisma.contact.count({ where }),
    ]);
    return { rows, total };
  }

  /** Links shown to people: pending (in-flight) links are internal. */
  linksFor(workspaceId: string, contactIds: readonly string[], connectionId?: string): Promise<LinkRow[]> {
    return this.prisma.contactLink.findMany({
      where: { workspaceId, contactId: { in: [...contactIds] }, state: { not: 'pending' }, remoteId: { not: null }, ...(connectionId ? { connectionId } : {}) },
      select: LINK_SELECT,
      orderBy: { createdAt: 'asc' },
    });
  }

  async linkedContactIds(workspaceId: string, connectionId?: string): Promise<string[]> {
    const rows = await this.prisma.contactLink.findMany({
      where: { workspaceId, state: 'linked', ...(connectionId ? { connectionId } : {}) },
      select: { contactId: true },
      distinct: ['contactId'],
    });
    return rows.map((r) => r.contactId);
  }
}
