import { Injectable } from '@nestjs/common';
import { type ContactList, ContactListQuery, type ContactView, type UpsertContactRequest } from '@ledgerlink/contract';
import type { z } from 'zod';
import type { AuthContext } from '../auth/auth.context.js';
import { ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { contentHash, toCanonicalContact } from './contact-content.js';
import { type ContactFields, type ContactFilter, type ContactRow, ContactsRepository } from './contacts.repository.js';
import { toContactView, toLinkView } from './contacts.dto.js';

export type ContactQuery = z.output<typeof ContactListQuery>;

@Injectable()
export class ContactsService {
  constructor(
    private readonly repository: ContactsRepository,
    private readonly host: ConnectorHostService,
  ) {}

  /** Create or update by the host app's id; the version moves only when the content changes. */
  async upsert(workspaceId: string, externalId: string, body: UpsertContactRequest): Promise<ContactView> {
    const row = await this.upsertRow(workspaceId, externalId, body);
    const [view] = await this.toViews(workspaceId, [row]);
    if (!view) throw new Error('contact vanished after upsert');
    return view;
  }

  async upsertRow(workspaceId: string, externalId: string, body: UpsertContactRequest): Promise<ContactRow> {
    const fields = contactFields(body);
    const existing = await this.repository.findByExternalId(workspaceId, externalId);
    if (!existing) {
      try {
        return await this.repository.create(workspaceId, externalId, fields);
      } catch (error) {
        // Two requests created the same external id at once: the other one won; update it.
        const raced = await this.repository.findByExternalId(workspaceId, externalId);
        if (!raced) throw error;
        return (await this.repository.updateContent(workspaceId, raced.id, fields)) ?? raced;
      }
    }
    if (existing.contentHash === fields.contentHash) return existing;
    return (await this.repository.updateContent(workspaceId, existing.id, fields)) ?? existing;
  }

  async list(auth: AuthContext, query: ContactQuery): Promise<ContactList> {
    const link: ContactFilter['link'] = query.link ?? (query.linked === undefined ? undefined : query.linked ? 'linked' : 'not_linked');
    const filter: ContactFilter = { kind: query.kind, q: query.q, link, connectionId: query.connectionId };
    const { rows, total } = await this.repository.list(auth.workspaceId, filter, { skip: (query.page - 1) * query.pageSize, take: query.pageSize });
    return { items: await this.toViews(auth.workspaceId, rows, query.connectionId), total, page: query.page, pageSize: query.pageSize };
  }

  private async toViews(workspaceId: string, rows: readonly ContactRow[], connectionId?: string): Promise<ContactView[]> {
    if (rows.length === 0) return [];
    const links = await this.repository.linksFor(
      workspaceId,
      rows.map((r) => r.id),
      connectionId,
    );
    const open = await this.host.openForDisplay(workspaceId, [...new Set(links.map((l) => l.connectionId))]);
    const kindOf = new Map(rows.map((r) => [r.id, r.kind]));
    const byContact = new Map<string, ReturnType<typeof toLinkView>[]>();
    for (const link of links) {
      if (!link.remoteId) continue;
      const connection = open.get(link.connectionId);
      const entity = kindOf.get(link.contactId) === 'supplier' ? 'supplier' : 'customer';
      const view = toLinkView({ ...link, remoteId: link.remoteId }, { connectorId: connection?.connector.definition.id ?? 'unknown', deepLink: safeDeepLink(connection, entity, link.remoteId) });
      byContact.set(link.contactId, [...(byContact.get(link.contactId) ?? []), view]);
    }
    return rows.map((row) => toContactView(row, byContact.get(row.id) ?? []));
  }
}

function safeDeepLink(connection: OpenConnection | undefined, entity: 'customer' | 'supplier', remoteId: string): string | null {
  try {
    return connection?.session.deepLink(entity, remoteId) ?? null;
  } catch {
    return null;
  }
}

/** The stored columns of a contact from the host's body (content hash included). */
export function contactFields(body: UpsertContactRequest): ContactFields {
  const canonical = toCanonicalContact(body);
  return {
    kind: body.kind,
    displayName: body.displayName,
    companyName: body.companyName ?? null,
    email: body.email?.toLowerCase() ?? null,
    phone: body.phone ?? null,
    data: canonical,
    contentHash: contentHash(canonical),
  };
}
