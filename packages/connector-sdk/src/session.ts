import type { ConnectorErrorData } from './errors.js';
import type { Contact, ContactKind, RemoteContact } from './models.js';
import type { Tenant } from './context.js';

export interface ContactSearch {
  readonly kind: ContactKind;
  /** Free text typed by a person; connectors must escape it for their query language. */
  readonly text: string;
  readonly limit?: number;
  /** Also return inactive/archived contacts (flagged by their status). */
  readonly includeInactive?: boolean;
}

export interface ContactListRequest {
  readonly kind: ContactKind;
  /** Opaque checkpoint from a previous page or run; absent for a full read. */
  readonly checkpoint?: string;
  readonly pageSize?: number;
}

export interface ContactPage {
  readonly items: readonly RemoteContact[];
  /** Pass back to continue (hasMore) or to read later changes (incremental). */
  readonly checkpoint: string;
  readonly hasMore: boolean;
}

export interface UpsertContactItem {
  /** Stable per intended write; the connector sends it as the provider's idempotency key. */
  readonly idempotencyKey: string;
  /** Present to update an existing remote contact. */
  readonly remoteId?: string;
  /** Remote version known to the host (for optimistic concurrency). */
  readonly version?: string;
  readonly contact: Contact;
}

export type ItemResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ConnectorErrorData };

export interface UpsertedContact {
  readonly remote: RemoteContact;
  /** False when the write updated an existing record or replayed an earlier create. */
  readonly created: boolean;
}

export interface ContactsApi {
  search(input: ContactSearch): Promise<RemoteContact[]>;
  /** Rejects with a ConnectorError of kind not_found when the id is unknown. */
  get(input: { readonly kind: ContactKind; readonly id: string }): Promise<RemoteContact>;
  list(input: ContactListRequest): Promise<ContactPage>;
  /** One result per item, in the order given. */
  upsert(items: readonly UpsertContactItem[]): Promise<ItemResult<UpsertedContact>[]>;
}

export interface ConnectorSession {
  readonly tenants: { list(): Promise<Tenant[]> };
  readonly contacts: ContactsApi;
  /** A link into the provider's web app for a person to open, when the provider has one. */
  deepLink(entity: 'customer' | 'supplier' | 'invoice' | 'bill' | 'payment', id: string): string | undefined;
}
