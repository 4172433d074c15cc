import {
  ConnectorErrors,
  isConnectorError,
  type ConnectorContext,
  type ConnectorError,
  type ConnectorErrorData,
  type ConnectorSession,
  type ContactKind,
  type ContactPage,
  type ItemResult,
  type RemoteContact,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { batchIdempotencyKey, XeroClient } from './client.js';
import type { XeroConfig } from './config.js';
import { duplicateNameIn, fieldOfMessage } from './errors.js';
import { fromXeroContact } from './mappers/from-xero-contact.js';
import { nameOf, toXeroContact } from './mappers/to-xero-contact.js';
import { createTransactionsApi } from './transactions.js';
import { parseXeroDate, type XeroContact, type XeroContactWrite } from './vendor/contact.schema.js';
import { createWebhooksApi } from './webhooks.js';

/** Xero's batch size for contact writes used by this connector (the manifest's limits.batchSize). */
export const BATCH_SIZE = 50;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/**
 * Xero has one Contact entity; IsCustomer/IsSupplier are set by Xero when a sales or purchase
 * document is raised and cannot be written. A contact is offered for a kind unless Xero says it
 * plays only the other role, so a contact created from Ledgerlink (neither flag yet) is found.
 */
export function fitsKind(contact: XeroContact, kind: ContactKind): boolean {
  return kind === 'customer' ? !(contact.IsSupplier === true && contact.IsCustomer !== true) : !(contact.IsCustomer === true && contact.IsSupplier !== true);
}

const updatedMs = (contact: XeroContact): number => {
  const iso = parseXeroDate(contact.UpdatedDateUTC);
  return iso ? Date.parse(iso) : 0;
};

/** Errors after which the rest of a batch would fail the same way. */
const STOPS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

export function createSession(ctx: ConnectorContext<XeroConfig>): ConnectorSession {
  const client = new XeroClient(ctx);

  const list = async ({ kind, checkpoint, pageSize }: { kind: ContactKind; checkpoint?: string; pageSize?: number }): Promise<ContactPage> => {
    const from = checkpoint === undefined ? { seen: [] as readonly string[] } : decodeCheckpoint(checkpoint);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(pageSize ?? DEFAULT_PAGE_SIZE)));
    const seen = new Set(from.since === undefined ? [] : from.seen);
    const asked = Math.min(MAX_PAGE_SIZE, size + seen.size);
    const { contacts } = await client.listContacts({
      ...(from.since !== undefined ? { ifModifiedSince: new Date(from.since).toISOString() } : {}),
      includeArchived: true,
      order: 'UpdatedDateUTC ASC, ContactID ASC',
      page: 1,
      pageSize: asked,
    });
    const fresh = contacts.filter((c) => !(from.since !== undefined && updatedMs(c) === from.since && seen.has(c.ContactID ?? '')));
    const delivered = fresh.slice(0, size);
    let since = from.since;
    let ids = [...seen];
    for (const contact of delivered) {
      const ms = updatedMs(contact);
      if (since === undefined || ms > since) {
        since = ms;
        ids = [];
      }
      if (ms === since) ids.push(contact.ContactID ?? '');
    }
    const hasMore = fresh.length > size || contacts.length === asked;
    return {
      items: delivered.filter((c) => fitsKind(c, kind)).map((c) => fromXeroContact(c, kind)),
      checkpoint: encodeCheckpoint({ ...(since !== undefined ? { since } : {}), seen: ids.slice(-MAX_PAGE_SIZE) }),
      hasMore,
    };
  };

  /** The existing active contact with this name (Xero's names are unique among active contacts). */
  const findByName = async (name: string): Promise<string | undefined> => {
    const wanted = name.trim().toLowerCase();
    const { contacts } = await client.listContacts({ searchTerm: name.trim(), page: 1, pageSize: 100 });
    return contacts.find((c) => c.ContactStatus === 'ACTIVE' && (c.Name ?? '').trim().toLowerCase() === wanted)?.ContactID;
  };

  /** A failed element of a write → the item's error (duplicate with the existing id for a taken name). */
  const elementError = async (element: XeroContact, sentName: string): Promise<ConnectorError> => {
    const messages = (element.ValidationErrors ?? []).map((v) => v.Message);
    const message = messages.join(' ') || 'Xero refused the contact without saying why';
    const duplicate = messages.map(duplicateNameIn).find((n) => n !== undefined);
    if (duplicate !== undefined) {
      const existing = await findByName(sentName).catch(() => undefined);
      return ConnectorErrors.duplicate(existing, message, { field: 'displayName' });
    }
    return ConnectorErrors.validation(fieldOfMessage(messages[0] ?? ''), `Xero refused the contact: ${message}`);
  };

  const upsert = async (items: readonly UpsertContactItem[]): Promise<ItemResult<UpsertedContact>[]> => {
    const results: (ItemResult<UpsertedContact> | undefined)[] = items.map(() => undefined);
    const fail = (index: number, error: ConnectorError | ConnectorErrorData) => {
      results[index] = { ok: false, error: 'toJSON' in error ? error.toJSON() : error };
    };
    const asError = (error: unknown): ConnectorError => (isConnectorError(error) ? error : ConnectorErrors.uncertain(`Writing to Xero failed: ${String(error)}`));

    // 1. Map every item; a bad one fails alone before anything is sent.
    const bodies = new Map<number, XeroContactWrite>();
    items.forEach((item, index) => {
      try {
        bodies.set(index, toXeroContact(item.contact));
      } catch (error) {
        fail(index, asError(error));
      }
    });

    // 2. Updates: read the targets first. Archived or merged contacts are not written to.
    const updates = [...bodies.keys()].filter((i) => items[i]?.remoteId);
    for (let start = 0; start < updates.length; start += BATCH_SIZE) {
      const chunk = updates.slice(start, start + BATCH_SIZE);
      try {
        const { contacts } = await client.listContacts({ ids: chunk.map((i) => items[i]?.remoteId ?? ''), includeArchived: true, page: 1, pageSize: MAX_PAGE_SIZE });
        const byId = new Map(contacts.map((c) => [(c.ContactID ?? '').toLowerCase(), c]));
        for (const index of chunk) {
          const item = items[index];
          const current = byId.get((item?.remoteId ?? '').toLowerCase());
          if (!item || !current) {
            fail(index, ConnectorErrors.notFound(`Xero has no contact ${item?.remoteId ?? ''}; it may have been removed`));
          } else if (current.ContactStatus === 'ARCHIVED' && current.MergedToContactID) {
            fail(index, ConnectorErrors.remoteInactive('merged', `The Xero contact ${item.remoteId} was merged into ${current.MergedToContactID}`, current.MergedToContactID));
          } else if (current.ContactStatus === 'ARCHIVED') {
            fail(index, ConnectorErrors.remoteInactive('archived', `The Xero contact ${item.remoteId} is archived; restore it in Xero before updating it`));
          } else if (current.ContactStatus === 'GDPRREQUEST') {
            fail(index, ConnectorErrors.remoteInactive('deleted', `The Xero contact ${item.remoteId} was erased on request (GDPR)`));
          } else if (item.version !== undefined && current.UpdatedDateUTC && item.version !== current.UpdatedDateUTC) {
            fail(index, ConnectorErrors.stale(`The Xero contact ${item.remoteId} changed since it was read; read it again`));
          }
        }
      } catch (error) {
        for (const index of chunk) fail(index, asError(error));
      }
    }

    // 3. Send creates (PUT) and updates (POST by ContactID) as arrays, one Idempotency-Key per request.
    const pending = [...bodies.keys()].filter((i) => results[i] === undefined);
    const groups: { method: 'PUT' | 'POST'; indexes: number[] }[] = [];
    for (const method of ['PUT', 'POST'] as const) {
      const indexes = pending.filter((i) => (method === 'POST') === Boolean(items[i]?.remoteId));
      for (let start = 0; start < indexes.length; start += BATCH_SIZE) groups.push({ method, indexes: indexes.slice(start, start + BATCH_SIZE) });
    }
    let stopped: ConnectorError | undefined;
    for (const { method, indexes } of groups) {
      if (stopped) {
        for (const index of indexes) fail(index, stopped);
        continue;
      }
      const sent = indexes.map((i) => {
        const body = bodies.get(i) ?? {};
        const remoteId = items[i]?.remoteId;
        return remoteId ? { ContactID: remoteId, ...body } : body;
      });
      const key = batchIdempotencyKey(method === 'PUT' ? 'create' : 'update', indexes.map((i) => items[i]?.idempotencyKey ?? ''));
      try {
        const answer = await client.writeContacts(method, sent, key);
        for (const [n, index] of indexes.entries()) {
          const element = answer[n];
          const item = items[index];
          if (!element || !item) continue;
          if (element.StatusAttributeString === 'ERROR' || element.HasValidationErrors === true || !element.ContactID || /^0{8}-/.test(element.ContactID)) {
            fail(index, await elementError(element, sent[n]?.Name ?? nameOf(item.contact)));
          } else {
            results[index] = { ok: true, value: { remote: fromXeroContact(element, item.contact.kind), created: !item.remoteId } };
          }
        }
      } catch (error) {
        const failure = asError(error);
        if (STOPS.has(failure.kind)) stopped = failure;
        for (const index of indexes) fail(index, failure);
      }
    }
    return results.map((result) => result ?? { ok: false, error: ConnectorErrors.uncertain('Xero did not answer for this contact; look it up before retrying').toJSON() });
  };

  return {
    tenants: { list: () => client.tenants() },
    transactions: createTransactionsApi(ctx, client),
    webhooks: createWebhooksApi(ctx.config, ['customer', 'supplier']),
    contacts: {
      async search({ kind, text, limit, includeInactive }) {
        const { contacts } = await client.listContacts({
          searchTerm: text.normalize('NFC'),
          page: 1,
          pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, limit ?? DEFAULT_PAGE_SIZE)),
          ...(includeInactive ? { includeArchived: true } : {}),
        });
        return contacts
          .filter((c) => fitsKind(c, kind) && (includeInactive === true || c.ContactStatus === 'ACTIVE' || c.ContactStatus === undefined))
          .map((c): RemoteContact => fromXeroContact(c, kind));
      },
      async get({ kind, id }) {
        return fromXeroContact(await client.getContact(id), kind);
      },
      list,
      upsert,
    },
    deepLink(entity, id) {
      const base = ctx.config.appBaseUrl;
      const ref = encodeURIComponent(id);
      switch (entity) {
        case 'customer':
        case 'supplier':
          return `${base}/Contacts/View/${ref}`;
        case 'invoice':
          return `${base}/AccountsReceivable/View.aspx?InvoiceID=${ref}`;
        case 'bill':
          return `${base}/AccountsPayable/View.aspx?InvoiceID=${ref}`;
        case 'payment':
          // Xero has no page of its own for a payment; it shows on its invoice.
          return undefined;
      }
    },
  };
}
