import type { ConnectorErrorData } from './errors.js';
import type { Contact, ContactKind, RemoteContact, RemoteTransaction, Transaction, TransactionType } from './models.js';
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
  /**
   * True when the item's idempotency key created the record (a replay of that create may say
   * true again when the provider cannot tell a replay apart); false for an update.
   */
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

export interface PushTransactionItem {
  /** Stable per intended write; sent as the provider's idempotency key. */
  readonly idempotencyKey: string;
  /** The remote contact (customer or supplier) the transaction belongs to. */
  readonly contactId: string;
  /** Present to update an existing remote transaction. */
  readonly remoteId?: string;
  readonly version?: string;
  readonly transaction: Transaction;
}

export interface PushedTransaction {
  readonly remote: RemoteTransaction;
  /** As UpsertedContact.created. */
  readonly created: boolean;
}

export interface TransactionsApi {
  /** One result per item, in the order given. */
  push(items: readonly PushTransactionItem[]): Promise<ItemResult<PushedTransaction>[]>;
  /** The contact's transactions, newest first; `since` (ISO timestamp) limits to later changes. */
  listForContact(input: { readonly kind: ContactKind; readonly contactId: string; readonly since?: string; readonly types?: readonly TransactionType[] }): Promise<RemoteTransaction[]>;
  /**
   * Looks a transaction up before retrying a write whose outcome was `uncertain`, by the
   * idempotency key (when the provider stores it) or the document number.
   */
  find?(input: { readonly type: TransactionType; readonly idempotencyKey?: string; readonly number?: string; readonly contactId?: string }): Promise<RemoteTransaction | undefined>;
}

/** Entities a change event or a field catalog can be about. */
export type EntityName = ContactKind | TransactionType;

export type ChangeOperation = 'create' | 'update' | 'delete' | 'merge' | 'archive' | 'inactivate';

/** One change a provider announced (webhook) or a feed reported. */
export interface ChangeEvent {
  readonly entity: EntityName;
  /** The remote id of the changed record. */
  readonly id: string;
  readonly operation: ChangeOperation;
  /** For `merge`: the record `id` was merged into. */
  readonly survivorId?: string;
  /** ISO timestamp of the change as the provider reports it. */
  readonly occurredAt: string;
  /** The remote tenant (realmId, tenantId, portalId) when the payload names one. */
  readonly tenantId?: string;
  /** Provider ids as sent (entity name, event id, ...), for support and de-duplication. */
  readonly raw?: Readonly<Record<string, string>>;
}

/** An inbound webhook request exactly as received: the raw body matters for signatures. */
export interface WebhookRequest {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** The full URL the provider called (some providers sign it). */
  readonly url: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** Why a request was refused (logged by the host, never containing secrets). */
  readonly reason?: string;
}

export interface WebhooksApi {
  /** Checks the provider's signature; must use a constant-time comparison. */
  verify(request: WebhookRequest): boolean | VerifyResult;
  /** The changes a verified request announces (may be several, of several tenants). */
  parse(request: WebhookRequest): ChangeEvent[];
}

export interface ConnectorSession {
  readonly tenants: { list(): Promise<Tenant[]> };
  readonly contacts: ContactsApi;
  /** Present when the manifest's capabilities.transactionTypes is not empty. */
  readonly transactions?: TransactionsApi;
  /** Present when the manifest's capabilities.inboundWebhooks is true. */
  readonly webhooks?: WebhooksApi;
  /** A link into the provider's web app for a person to open, when the provider has one. */
  deepLink(entity: 'customer' | 'supplier' | 'invoice' | 'bill' | 'payment', id: string): string | undefined;
}
