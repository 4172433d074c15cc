import {
  ConnectorError,
  ConnectorErrors,
  isConnectorError,
  type ConnectorContext,
  type ConnectorSession,
  type ContactPage,
  type ItemResult,
  type PushedTransaction,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { z } from 'zod';
import { ApiClient } from './client.js';
import type { Config } from './config.js';
import { fromVendorContact } from './mappers/from-vendor-contact.js';
import { fromVendorInvoice, toVendorInvoice } from './mappers/invoice-mappers.js';
import { toVendorContact } from './mappers/to-vendor-contact.js';
import { VendorContact, VendorContactList, VendorInvoice, VendorTenants } from './vendor/contact.schema.js';
import { createWebhooks } from './webhooks.js';

const MAX_PAGE_SIZE = 100;
/** Errors after which the rest of a batch is not attempted (it would fail the same way). */
const STOP_KINDS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

/** `contacts.list` checkpoint: the change sequence number read up to. */
const Checkpoint = z.object({ after: z.number().int().min(0) });

export function createSession(ctx: ConnectorContext<Config>): ConnectorSession {
  const api = new ApiClient(ctx);
  const one = z.object({ contact: VendorContact });

  const upsertOne = async (item: UpsertContactItem): Promise<UpsertedContact> => {
    const body = toVendorContact(item.contact);
    if (!item.remoteId) {
      const { contact } = await api.send({ method: 'POST', path: '/contacts', headers: { 'idempotency-key': item.idempotencyKey }, body }, one);
      return { remote: fromVendorContact(contact), created: true };
    }
    const headers: Record<string, string> = { 'idempotency-key': item.idempotencyKey, ...(item.version ? { 'if-match': item.version } : {}) };
    const { contact } = await api.send({ method: 'PATCH', path: `/contacts/${encodeURIComponent(item.remoteId)}`, headers, body }, one);
    return { remote: fromVendorContact(contact), created: false };
  };

  const invoiceLink = (id: string) => (ctx.config.appBaseUrl ? `${ctx.config.appBaseUrl}/invoices/${encodeURIComponent(id)}` : undefined);
  const oneInvoice = z.object({ invoice: VendorInvoice });

  /** Runs `write` for each item in order, one result per item; stops after errors the rest would share. */
  async function eachItem<I, T>(items: readonly I[], write: (item: I) => Promise<T>): Promise<ItemResult<T>[]> {
    const results: ItemResult<T>[] = [];
    let stop: ConnectorError | undefined;
    for (const item of items) {
      if (stop) {
        results.push({ ok: false, error: { ...stop.toJSON(), message: `Not attempted: ${stop.message}` } });
        continue;
      }
      try {
        results.push({ ok: true, value: await write(item) });
      } catch (error) {
        const failure = isConnectorError(error) ? error : ConnectorErrors.uncertain(`Unexpected failure while writing: ${String(error)}`);
        if (STOP_KINDS.has(failure.kind)) stop = failure;
        results.push({ ok: false, error: failure.toJSON() });
      }
    }
    return results;
  }

  return {
    tenants: {
      async list() {
        return (await api.send({ method: 'GET', path: '/tenants' }, VendorTenants)).tenants;
      },
    },
    contacts: {
      async search({ kind, text, limit, includeInactive }) {
        const query = { kind, q: text.trim(), limit: Math.min(limit ?? 25, MAX_PAGE_SIZE), includeInactive: includeInactive === true };
        const { contacts } = await api.send({ method: 'GET', path: '/contacts', query }, VendorContactList);
        return contacts.map(fromVendorContact);
      },
      async get({ id }) {
        return fromVendorContact((await api.send({ method: 'GET', path: `/contacts/${encodeURIComponent(id)}` }, one)).contact);
      },
      async list({ kind, checkpoint, pageSize }): Promise<ContactPage> {
        const after = parseCheckpoint(checkpoint);
        const query = { kind, changedAfter: after, includeInactive: true, limit: Math.min(pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) };
        const { contacts, hasMore } = await api.send({ method: 'GET', path: '/contacts', query }, VendorContactList);
        const last = contacts.at(-1)?.seq ?? after;
        return { items: contacts.map(fromVendorContact), checkpoint: JSON.stringify({ after: last }), hasMore };
      },
      upsert: (items): Promise<ItemResult<UpsertedContact>[]> => eachItem(items, upsertOne),
    },
    transactions: {
      push: (items): Promise<ItemResult<PushedTransaction>[]> =>
        eachItem(items, async (item) => {
          if (item.transaction.type !== 'invoice') throw ConnectorErrors.validation('type', `__DISPLAY_NAME__ takes invoices only, not ${item.transaction.type}`);
          if (item.remoteId) throw ConnectorErrors.validation('remoteId', '__DISPLAY_NAME__ invoices cannot be changed once issued; void it and push a new one');
          const { invoice } = await api.send({ method: 'POST', path: '/invoices', headers: { 'idempotency-key': item.idempotencyKey }, body: toVendorInvoice(item.contactId, item.transaction) }, oneInvoice);
          return { remote: fromVendorInvoice(invoice, invoiceLink(invoice.id)), created: true };
        }),
      async listForContact({ contactId, since }) {
        const query = { contactId, ...(since ? { since } : {}) };
        const { invoices } = await api.send({ method: 'GET', path: '/invoices', query }, z.object({ invoices: z.array(VendorInvoice) }));
        return invoices.map((invoice) => fromVendorInvoice(invoice, invoiceLink(invoice.id)));
      },
    },
    webhooks: createWebhooks(ctx.config.webhookSecret),
    deepLink: (entity, id) => {
      if (entity === 'invoice') return invoiceLink(id);
      return ctx.config.appBaseUrl && (entity === 'customer' || entity === 'supplier') ? `${ctx.config.appBaseUrl}/contacts/${encodeURIComponent(id)}` : undefined;
    },
  };
}

function parseCheckpoint(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = Checkpoint.safeParse(json);
  if (!parsed.success) {
    throw new ConnectorError({ kind: 'validation', field: 'checkpoint', message: 'The checkpoint is not one this connector produced; pass the previous page’s checkpoint unchanged, or none for a full read' });
  }
  return parsed.data.after;
}
