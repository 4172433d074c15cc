import {
  ConnectorErrors,
  isConnectorError,
  type ConnectorContext,
  type ConnectorError,
  type ConnectorSession,
  type ContactKind,
  type ContactPage,
  type ItemResult,
  type PushedTransaction,
  type PushTransactionItem,
  type RemoteTransaction,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { decodeCheckpoint, encodeCheckpoint, type ListCheckpoint } from './checkpoint.js';
import { BATCH_SIZE, HubspotClient, type CrmObject, type SearchFilter } from './client.js';
import type { HubspotConfig } from './config.js';
import { CONTACT_PROPERTIES, forCreate, fromHubspotContact, KEY_PROPERTY, mergedIds, toHubspotProperties } from './contact-mapper.js';
import { NOTE_PROPERTIES, noteBody, noteIdentity, noteTimestamp, readNote } from './transaction-note.js';
import { createWebhooks } from './webhooks.js';

const DEFAULT_PAGE_SIZE = 100;
/** HubSpot's search answers at most 200 records per request. */
const MAX_SEARCH = 200;
/** Association type of a note on a contact (HUBSPOT_DEFINED 202, note → contact). */
const NOTE_TO_CONTACT = 202;
/** Association type of a contact with its company (HUBSPOT_DEFINED 279, unlabelled). */
const CONTACT_TO_COMPANY = 279;
/** Errors after which the rest of a batch would fail the same way. */
const STOPS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

/** An idempotency key as stored in `ledgerlink_key` (HubSpot unique-value properties are text). */
const storedKey = (key: string) => key.slice(0, 200);

export function createSession(ctx: ConnectorContext<HubspotConfig>): ConnectorSession {
  const client = new HubspotClient(ctx);
  const properties = [...CONTACT_PROPERTIES];
  let keyProperty: Promise<void> | undefined;
  /** Creates the `ledgerlink_key` unique-value property once per session (an existing one is fine). */
  const ensureKeyProperty = () => {
    keyProperty ??= client
      .ensureProperty('contacts', { name: KEY_PROPERTY, label: 'Ledgerlink key', description: 'Idempotency key of the Ledgerlink write that created this contact. Do not edit.', hasUniqueValue: true })
      .catch((error: unknown) => {
        keyProperty = undefined;
        throw error;
      });
    return keyProperty;
  };
  const asError = (error: unknown): ConnectorError => (isConnectorError(error) ? error : ConnectorErrors.uncertain(`Writing to HubSpot failed: ${String(error)}`));
  const modifiedMs = (record: CrmObject) => Date.parse(record.properties.lastmodifieddate ?? record.updatedAt ?? '') || 0;

  const list = async ({ kind, checkpoint, pageSize }: { kind: ContactKind; checkpoint?: string; pageSize?: number }): Promise<ContactPage> => {
    const from = checkpoint === undefined ? {} : decodeCheckpoint(checkpoint);
    const size = Math.min(DEFAULT_PAGE_SIZE, Math.max(1, Math.trunc(pageSize ?? DEFAULT_PAGE_SIZE)));
    const page = (items: CrmObject[], next: ListCheckpoint, hasMore: boolean): ContactPage => ({ items: items.map((c) => fromHubspotContact(c, kind)), checkpoint: encodeCheckpoint(next), hasMore });
    const items: CrmObject[] = [];
    let { since, lastId } = from;
    if (since !== undefined) {
      // 1. The rest of the `since` instant, in id order.
      const filters: SearchFilter[] = [{ propertyName: 'lastmodifieddate', operator: 'EQ', value: String(since) }];
      if (lastId !== undefined) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: lastId });
      const { results } = await client.search('contacts', { filterGroups: [{ filters }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], properties, limit: size + 1 });
      items.push(...results.slice(0, size));
      lastId = items.at(-1)?.id ?? lastId;
      if (items.length === size) return page(items, { since, ...(lastId !== undefined ? { lastId } : {}) }, true);
    }
    // 2. Later changes in lastmodifieddate order; a last instant that may go on past the page is left for step 1 of the next.
    const room = size - items.length;
    const { results } = await client.search('contacts', {
      ...(since !== undefined ? { filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: String(since) }] }] } : {}),
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties,
      limit: room + 1,
    });
    if (results.length <= room) {
      items.push(...results);
      const last = results.at(-1);
      if (last !== undefined) {
        since = modifiedMs(last);
        lastId = String(Math.max(...results.filter((r) => modifiedMs(r) === since).map((r) => Number(r.id))));
      }
      return page(items, { ...(since !== undefined ? { since } : {}), ...(lastId !== undefined ? { lastId } : {}) }, false);
    }
    const boundary = results.at(-1);
    const cut = boundary === undefined ? 0 : modifiedMs(boundary);
    items.push(...results.filter((r) => modifiedMs(r) < cut));
    return page(items, { since: cut }, true);
  };

  /** The company named `name` (exactly, ignoring case), created when HubSpot has none. */
  const companies = new Map<string, Promise<string>>();
  const companyId = (name: string): Promise<string> => {
    const key = name.trim().toLowerCase();
    let found = companies.get(key);
    if (!found) {
      found = (async () => {
        const { results } = await client.search('companies', { filterGroups: [{ filters: [{ propertyName: 'name', operator: 'EQ', value: name.trim() }] }], properties: ['name'], limit: 10 });
        const same = results.find((c) => (c.properties.name ?? '').trim().toLowerCase() === key);
        return same?.id ?? (await client.create('companies', { properties: { name: name.trim() } })).id;
      })();
      found.catch(() => companies.delete(key));
      companies.set(key, found);
    }
    return found;
  };

  const upsert = async (items: readonly UpsertContactItem[]): Promise<ItemResult<UpsertedContact>[]> => {
    const results: (ItemResult<UpsertedContact> | undefined)[] = items.map(() => undefined);
    const fail = (index: number, error: ConnectorError) => {
      results[index] = { ok: false, error: error.toJSON() };
    };
    const succeed = (index: number, record: CrmObject, created: boolean) => {
      const item = items[index];
      if (item) results[index] = { ok: true, value: { remote: fromHubspotContact(record, item.contact.kind), created } };
    };
    let stopped: ConnectorError | undefined;
    const stopOn = (error: ConnectorError) => {
      if (STOPS.has(error.kind)) stopped = error;
    };

    // 1. Map every item; a bad one fails alone before anything is sent.
    const bodies = new Map<number, Record<string, string>>();
    items.forEach((item, index) => {
      try {
        bodies.set(index, toHubspotProperties(item.contact));
      } catch (error) {
        fail(index, asError(error));
      }
    });
    const updates = [...bodies.keys()].filter((i) => items[i]?.remoteId);
    const creates = [...bodies.keys()].filter((i) => !items[i]?.remoteId);

    // 2. Updates: read the targets first; archived and merged-away contacts are not written to.
    try {
      const wanted = updates.map((i) => items[i]?.remoteId ?? '');
      const live = await client.batchRead('contacts', wanted, properties);
      const byId = new Map(live.map((r) => [r.id, r]));
      const survivorOf = new Map(live.flatMap((r) => mergedIds(r).map((id) => [id, r.id] as const)));
      const missing = wanted.filter((id) => !byId.has(id) && !survivorOf.has(id));
      const archived = new Set((await client.batchRead('contacts', missing, ['lastmodifieddate'], { archived: true })).map((r) => r.id));
      for (const index of updates) {
        const item = items[index];
        if (!item?.remoteId) continue;
        const current = byId.get(item.remoteId);
        const survivor = survivorOf.get(item.remoteId);
        if (!current && survivor) fail(index, ConnectorErrors.remoteInactive('merged', `The HubSpot contact ${item.remoteId} was merged into ${survivor}`, survivor));
        else if (!current && archived.has(item.remoteId)) fail(index, ConnectorErrors.remoteInactive('archived', `The HubSpot contact ${item.remoteId} is archived (in the recycling bin); restore it in HubSpot before updating it`));
        else if (!current) fail(index, ConnectorErrors.notFound(`HubSpot has no contact ${item.remoteId}; it may have been deleted`));
        else if (item.version !== undefined && current.updatedAt !== undefined && item.version !== current.updatedAt) {
          fail(index, ConnectorErrors.stale(`The HubSpot contact ${item.remoteId} changed since it was read; read it again`));
        }
      }
    } catch (error) {
      const failure = asError(error);
      stopOn(failure);
      for (const index of updates) if (!results[index]) fail(index, failure);
    }

    // 3. Creates: one made earlier with the same idempotency key is returned, not made again.
    if (creates.length > 0 && !stopped) {
      try {
        await ensureKeyProperty();
        const earlier = await client.batchRead('contacts', creates.map((i) => storedKey(items[i]?.idempotencyKey ?? '')), [...properties, KEY_PROPERTY], { idProperty: KEY_PROPERTY });
        const byKey = new Map(earlier.map((r) => [r.properties[KEY_PROPERTY] ?? '', r]));
        for (const index of creates) {
          const found = byKey.get(storedKey(items[index]?.idempotencyKey ?? ''));
          if (found) succeed(index, found, true);
        }
      } catch (error) {
        const failure = asError(error);
        stopOn(failure);
        for (const index of creates) if (!results[index]) fail(index, failure);
      }
    }

    // 4. Company associations (by name), then the writes, 100 a request; a refused batch is retried one by one so a bad item fails alone.
    const pending = [...bodies.keys()].filter((i) => results[i] === undefined);
    const companyOf = new Map<number, string>();
    for (const index of pending) {
      const name = items[index]?.contact.companyName?.trim();
      if (!name || stopped) continue;
      try {
        companyOf.set(index, await companyId(name));
      } catch (error) {
        const failure = asError(error);
        stopOn(failure);
        fail(index, failure);
      }
    }
    const inputFor = (index: number) => {
      const item = items[index];
      const props = bodies.get(index) ?? {};
      const company = companyOf.get(index);
      if (item?.remoteId) return { id: item.remoteId, properties: props };
      return {
        properties: { ...forCreate(props), [KEY_PROPERTY]: storedKey(item?.idempotencyKey ?? '') },
        ...(company ? { associations: [{ to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CONTACT_TO_COMPANY }] }] } : {}),
      };
    };
    for (const verb of ['create', 'update'] as const) {
      const indexes = pending.filter((i) => results[i] === undefined && (verb === 'update') === Boolean(items[i]?.remoteId));
      for (let start = 0; start < indexes.length; start += BATCH_SIZE) {
        const chunk = indexes.slice(start, start + BATCH_SIZE);
        if (stopped) {
          for (const index of chunk) fail(index, stopped);
          continue;
        }
        try {
          const written = await client.batchWrite('contacts', verb, chunk.map(inputFor));
          chunk.forEach((index, n) => {
            const record = written[n];
            if (record) succeed(index, record, verb === 'create');
          });
        } catch (error) {
          const failure = asError(error);
          if (failure.kind !== 'validation' && failure.kind !== 'duplicate' && failure.kind !== 'not_found') {
            stopOn(failure);
            for (const index of chunk) fail(index, failure);
            continue;
          }
          for (const index of chunk) {
            if (stopped) {
              fail(index, stopped);
              continue;
            }
            try {
              const input = inputFor(index);
              const record = 'id' in input ? await client.update('contacts', input.id, input.properties) : await client.create('contacts', input);
              succeed(index, record, verb === 'create');
            } catch (single) {
              const itemFailure = asError(single);
              stopOn(itemFailure);
              fail(index, itemFailure);
            }
          }
        }
      }
    }
    // Updated contacts whose company changed: associate (idempotent).
    for (const index of pending) {
      const item = items[index];
      const company = companyOf.get(index);
      if (!item?.remoteId || !company || results[index]?.ok !== true) continue;
      await client.associateDefault('contacts', item.remoteId, 'companies', company).catch((error: unknown) => fail(index, asError(error)));
    }
    return results.map((result) => result ?? { ok: false, error: ConnectorErrors.uncertain('HubSpot did not answer for this contact; look it up before retrying').toJSON() });
  };

  // Transactions as notes on the contact (decision 0006).
  const notesOf = async (contactId: string): Promise<{ note: CrmObject; identity: string; transaction: NonNullable<ReturnType<typeof readNote>>['transaction'] }[]> => {
    const ids = await client.associatedIds('contacts', contactId, 'notes');
    const notes = await client.batchRead('notes', ids, [...NOTE_PROPERTIES]);
    return notes.flatMap((note) => {
      const read = readNote(note.properties.hs_note_body);
      return read ? [{ note, ...read }] : [];
    });
  };
  const toRemote = (note: CrmObject, contactId: string, transaction: NonNullable<ReturnType<typeof readNote>>['transaction']): RemoteTransaction => {
    const updatedAt = note.properties.hs_lastmodifieddate ?? note.updatedAt;
    return {
      id: note.id,
      ...(updatedAt ? { version: updatedAt, updatedAt } : {}),
      contactId,
      status: transaction.status,
      deepLink: contactLink(contactId),
      transaction,
    };
  };
  const contactLink = (id: string) => `${ctx.config.appBaseUrl}/contacts/${encodeURIComponent(ctx.tenantId)}/record/0-1/${encodeURIComponent(id)}`;

  const push = async (items: readonly PushTransactionItem[]): Promise<ItemResult<PushedTransaction>[]> => {
    const results: (ItemResult<PushedTransaction> | undefined)[] = items.map(() => undefined);
    let stopped: ConnectorError | undefined;
    const byContact = new Map<string, number[]>();
    items.forEach((item, index) => byContact.set(item.contactId, [...(byContact.get(item.contactId) ?? []), index]));
    let live: Set<string>;
    let survivorOf: Map<string, string>;
    try {
      const contacts = await client.batchRead('contacts', [...byContact.keys()], ['lastmodifieddate', 'hs_merged_object_ids']);
      live = new Set(contacts.map((r) => r.id));
      survivorOf = new Map(contacts.flatMap((r) => mergedIds(r).map((id) => [id, r.id] as const)));
    } catch (error) {
      const failure = asError(error);
      return items.map(() => ({ ok: false, error: failure.toJSON() }));
    }
    for (const [contactId, indexes] of byContact) {
      if (stopped) {
        for (const index of indexes) results[index] = { ok: false, error: stopped.toJSON() };
        continue;
      }
      const survivor = survivorOf.get(contactId);
      if (!live.has(contactId) && survivor !== undefined) {
        for (const index of indexes) results[index] = { ok: false, error: ConnectorErrors.remoteInactive('merged', `The HubSpot contact ${contactId} was merged into ${survivor}; follow the link to the survivor`, survivor).toJSON() };
        continue;
      }
      if (!live.has(contactId)) {
        for (const index of indexes) results[index] = { ok: false, error: ConnectorErrors.notFound(`HubSpot has no contact ${contactId} to put the transaction on; link the customer again`).toJSON() };
        continue;
      }
      try {
        const existing = new Map((await notesOf(contactId)).map((n) => [n.identity, n]));
        const byNoteId = new Map([...existing.values()].map((n) => [n.note.id, n]));
        for (const index of indexes) {
          const item = items[index];
          if (!item) continue;
          if (stopped) {
            results[index] = { ok: false, error: stopped.toJSON() };
            continue;
          }
          try {
            const identity = noteIdentity(item);
            const body = noteBody(identity, item.transaction);
            const earlier = (item.remoteId ? byNoteId.get(item.remoteId) : undefined) ?? existing.get(identity);
            let note: CrmObject;
            if (earlier) {
              note = earlier.note.properties.hs_note_body === body ? earlier.note : await client.update('notes', earlier.note.id, { hs_note_body: body, hs_timestamp: noteTimestamp(item.transaction) });
            } else {
              note = await client.create('notes', {
                properties: { hs_note_body: body, hs_timestamp: noteTimestamp(item.transaction) },
                associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_CONTACT }] }],
              });
            }
            existing.set(identity, { note, identity, transaction: item.transaction });
            byNoteId.set(note.id, { note, identity, transaction: item.transaction });
            results[index] = { ok: true, value: { remote: toRemote(note, contactId, item.transaction), created: !earlier } };
          } catch (error) {
            const failure = asError(error);
            if (STOPS.has(failure.kind)) stopped = failure;
            results[index] = { ok: false, error: failure.toJSON() };
          }
        }
      } catch (error) {
        const failure = asError(error);
        if (STOPS.has(failure.kind)) stopped = failure;
        for (const index of indexes) results[index] ??= { ok: false, error: failure.toJSON() };
      }
    }
    return results.map((result) => result ?? { ok: false, error: ConnectorErrors.uncertain('HubSpot did not answer for this transaction; look it up before retrying').toJSON() });
  };

  return {
    tenants: {
      // A connection is one HubSpot account: the hub id and domain the exchange read (kept in the
      // credentials' extra), so listing needs no call (HubSpot's token-information URL holds the token).
      list() {
        const extra = ctx.credentials().extra ?? {};
        const name = extra.hubId === ctx.tenantId ? extra.hubDomain?.trim() : undefined;
        return Promise.resolve([{ id: ctx.tenantId, name: name || `HubSpot account ${ctx.tenantId}` }]);
      },
    },
    contacts: {
      // HubSpot's search never returns archived contacts, so includeInactive finds nothing more.
      async search({ kind, text, limit }) {
        const wanted = text.normalize('NFC').trim();
        if (wanted === '') return [];
        const { results } = await client.search('contacts', { query: wanted, properties, limit: Math.min(MAX_SEARCH, Math.max(1, limit ?? DEFAULT_PAGE_SIZE)) });
        return results.map((r) => fromHubspotContact(r, kind));
      },
      async get({ kind, id }) {
        try {
          return fromHubspotContact(await client.get('contacts', id, properties), kind, id);
        } catch (error) {
          if (!isConnectorError(error) || error.kind !== 'not_found') throw error;
          // Archived contacts are only found when asked for.
          return fromHubspotContact(await client.get('contacts', id, properties, { archived: true }), kind, id);
        }
      },
      list,
      upsert,
    },
    transactions: {
      push,
      async listForContact({ contactId, since, types }) {
        const sinceMs = since ? Date.parse(since) : undefined;
        return (await notesOf(contactId))
          .map((n) => toRemote(n.note, contactId, n.transaction))
          .filter((t) => (types === undefined || types.includes(t.transaction.type)) && (sinceMs === undefined || Date.parse(t.updatedAt ?? '') >= sinceMs))
          .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || Number(b.id) - Number(a.id));
      },
    },
    webhooks: createWebhooks(ctx.config.webhookSecret ?? ctx.config.clientSecret, ctx.clock, ctx.config.webhookMaxAgeSeconds),
    deepLink(entity, id) {
      return entity === 'customer' ? contactLink(id) : undefined;
    },
  };
}
