import { ContactKind, type ContactLinkView, type ContactView, LinkState } from '@ledgerlink/contract';
import type { ContactRow, LinkRow } from './contacts.repository.js';

export interface LinkDisplay {
  readonly connectorId: string;
  readonly deepLink: string | null;
}

export function toContactView(row: ContactRow, links: readonly ContactLinkView[]): ContactView {
  return {
    id: row.id,
    externalId: row.externalId,
    kind: ContactKind.parse(row.kind),
    displayName: row.displayName,
    companyName: row.companyName,
    email: row.email,
    phone: row.phone,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    links: [...links],
  };
}

export function toLinkView(link: LinkRow & { remoteId: string }, display: LinkDisplay): ContactLinkView {
  const state = LinkState.safeParse(link.state);
  return {
    connectionId: link.connectionId,
    connectorId: display.connectorId,
    remoteId: link.remoteId,
    remoteName: link.remoteName,
    state: state.success ? state.data : 'invalid',
    reason: link.reason,
    deepLink: display.deepLink,
    linkedAt: link.updatedAt.toISOString(),
  };
}
