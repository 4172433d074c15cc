import { z } from 'zod';
import {
  Contact,
  ConnectorError,
  ConnectorErrors,
  type ConnectorContext,
  type ConnectorSession,
  type ContactKind,
  type ContactListRequest,
  type ContactPage,
  type ContactSearch,
  type ItemResult,
  type RemoteContact,
  type UpsertContactItem,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';
import { ENTITY, QboClient, likeContains, qboString, requestIdFor, type NameListEntity, type QboNameList } from './client.js';
import type { QboConfig } from './config.js';
import { asConnectorError } from './errors.js';
import { fromQboCustomer, fromQboVendor } from './mappers/from-qbo-customer.js';
import { toQboCustomer, toQboVendor } from './mappers/to-qbo-customer.js';
import { createTransactionsApi } from './transactions.js';
import { checkQboNameList } from './validate-contact.js';
import { createWebhooksApi } from './webhooks.js';
import { QboCustomer, QboVendor, type QboNameListWrite, type QboTerm } from './vendor/name-list.schema.js';

/** QBO answers at most 1000 rows per query (reference §3). */
export const MAX_PAGE_SIZE = 1000;
const DEFAULT_SEARCH_LIMIT = 25;
/** Intuit: CDC "can track changes within the last 30 days"; a day of margin, as Nango keeps. */
export const CDC_MAX_AGE_MS = 29 * 86_400_000;
/** Intuit: "Server responses can handle a maximum of 1,000 objects". */
export const CDC_MAX_OBJECTS = 1000;

/**
 * Checkpoint of `contacts.list`. `after` is the LastUpdatedTime the current scan starts from,
 * `position` the next STARTPOSITION. Rows are read with `>= after` and the ones already
 * delivered at exactly `after` (`seen`, as "Id@SyncToken") are dropped, so a change made in the
 * same second as the last one read is neither lost nor delivered twice. `high`/`highSeen`
 * accumulate the newest time of the scan; when the scan ends they become the next `after`/`seen`.
 */
const Checkpoint = z.object({
  after: z.string().nullable(),
  position: z.number().int().min(1),
  seen: z.array(z.string()).default([]),
  high: z.string().nullable().default(null),
  highSeen: z.array(z.string()).default([]),
  /** A query scan in progress (set while paging one); absent between reads. */
  scan: z.boolean().optional(),
});
type Checkpoint = z.infer<typeof Checkpoint>;

/** Errors after which the remaining items of a batch are not attempted (they would fail the same way). */
const STOP_KINDS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

export function createSession(ctx: ConnectorContext<QboConfig>): ConnectorSession {
  const client = new QboClient(ctx);
  let terms: Promise<QboTerm[]> | undefined;
  const loadTerms = (): Promise<QboTerm[]> => {
    terms ??= client.terms().catch((error: unknown) => {
      terms = undefined;
      throw error;
    });
    return terms;
  };

  const schemaOf = (kind: ContactKind) => (kind === 'customer' ? QboCustomer : QboVendor);

  /** Maps records, looking up term names only when some record references a term without its name. */
  const toRemote = async (kind: ContactKind, records: readonly QboNameList[]): Promise<RemoteContact[]> => {
    const ref = (r: QboNameList) => ('SalesTermRef' in r ? r.SalesTermRef : 'TermRef' in r ? r.TermRef : undefined);
    let termNames: Map<string, string> | undefined;
    if (records.some((r) => { const t = ref(r); return t && !t.name; })) {
      termNames = await loadTerms().then(
        (list) => new Map(list.map((t) => [t.Id, t.Name])),
        (error: unknown) => {
          ctx.logger.warn('qbo terms unavailable; payment terms of contacts are left empty', { error: String(error) });
          return new Map<string, string>();
        },
      );
    }
    const options = termNames ? { termNames } : {};
    return records.map((r) => (kind === 'customer' ? fromQboCustomer(r as QboCustomer, options) : fromQboVendor(r as QboVendor, options)));
  };

  const read = async (kind: ContactKind, id: string): Promise<QboNameList> => client.readNameList(ENTITY[kind], id);

  const search = async (input: ContactSearch): Promise<RemoteContact[]> => {
    const entity = ENTITY[input.kind];
    const limit = clamp(input.limit ?? DEFAULT_SEARCH_LIMIT, 1, MAX_PAGE_SIZE);
    const text = input.text.trim();
    const where = [...(text ? [`DisplayName LIKE ${likeContains(text)}`] : []), ...(input.includeInactive ? ['Active IN (true, false)'] : [])];
    const statement = `SELECT * FROM ${entity}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDERBY DisplayName MAXRESULTS ${limit}`;
    const { rows } = await client.query(entity, statement, schemaOf(input.kind));
    return toRemote(input.kind, rows);
  };

  /**
   * Incremental read through CDC, oldest change first, `pageSize` at a time: each page's
   * checkpoint starts the next CDC call at the last change delivered (the ones delivered at that
   * exact second are remembered and dropped). Answers undefined when CDC cannot be trusted for
   * this window (a full 1,000-object answer under the strict `cdcPastCap: "query"`, or one whose
   * objects were all delivered already), so the caller scans with a query instead.
   */
  const listChanges = async (kind: ContactKind, checkpoint: Checkpoint & { after: string }, pageSize: number): Promise<ContactPage | undefined> => {
    const entity = ENTITY[kind];
    let raw: unknown[];
    try {
      raw = await client.changes(entity, checkpoint.after);
    } catch (error) {
      // Our clock and QuickBooks' may disagree near the 30-day edge: a refused changedSince means "query instead".
      if (error instanceof ConnectorError && error.kind === 'validation' && /changedSince/i.test(`${error.field ?? ''} ${error.message}`)) return undefined;
      throw error;
    }
    const capped = raw.length >= CDC_MAX_OBJECTS;
    if (capped && ctx.config.cdcPastCap === 'query') return undefined;
    const afterMs = Date.parse(checkpoint.after);
    const seen = new Set(checkpoint.seen);
    const entries = raw.flatMap((row): { record?: QboNameList; id: string; key: string; time: string; ms: number }[] => {
      const deleted = typeof row === 'object' && row !== null && (row as { status?: unknown }).status === 'Deleted';
      const parsed = schemaOf(kind).safeParse(row);
      if (!parsed.success) throw ConnectorErrors.transient(`QuickBooks sent a changed ${entity} in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'}); try again`);
      const time = parsed.data.MetaData?.LastUpdatedTime;
      if (!time || Number.isNaN(Date.parse(time))) return [];
      return [{ ...(deleted ? {} : { record: parsed.data }), id: parsed.data.Id, key: deleted ? `${parsed.data.Id}@deleted` : versionKey(parsed.data), time, ms: Date.parse(time) }];
    });
    // A record delivered at `after` and reported Deleted at that same time (a merge) is one change, not two.
    const seenIds = new Set(checkpoint.seen.map((key) => key.slice(0, key.lastIndexOf('@'))));
    const delivered = (e: (typeof entries)[number]) => e.ms === afterMs && (seen.has(e.key) || (e.record === undefined && seenIds.has(e.id)));
    const fresh = entries.filter((e) => !delivered(e)).sort((a, b) => a.ms - b.ms || Number(a.id) - Number(b.id));
    if (fresh.length === 0) {
      // Everything CDC returned was delivered already: a full answer means more changes hide behind the cap.
      if (capped) return undefined;
      return { items: [], checkpoint: JSON.stringify(checkpoint), hasMore: false };
    }
    const page = fresh.slice(0, pageSize);
    const last = page[page.length - 1] as (typeof page)[number];
    const atLast = page.filter((e) => e.ms === last.ms).map((e) => e.key);
    const next: Checkpoint = { after: last.time, position: 1, seen: last.ms === afterMs ? [...seen, ...atLast] : atLast, high: null, highSeen: [] };
    const records = await toRemote(kind, page.flatMap((e) => (e.record ? [e.record] : [])));
    const byId = new Map(records.map((r) => [r.id, r]));
    const items = page.map(
      (e): RemoteContact => byId.get(e.id) ?? { id: e.id, status: 'deleted', updatedAt: new Date(e.ms).toISOString(), contact: Contact.parse({ kind }) },
    );
    return { items, checkpoint: JSON.stringify(next), hasMore: fresh.length > pageSize || capped };
  };

  const list = async (input: ContactListRequest): Promise<ContactPage> => {
    const entity = ENTITY[input.kind];
    const pageSize = clamp(input.pageSize ?? MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    const checkpoint = parseCheckpoint(input.checkpoint);
    const after = checkpoint.after;
    if (after !== null && checkpoint.scan !== true && checkpoint.position === 1 && checkpoint.high === null && ctx.clock.now().getTime() - Date.parse(after) < CDC_MAX_AGE_MS) {
      const changes = await listChanges(input.kind, { ...checkpoint, after }, pageSize);
      if (changes) return changes;
      ctx.logger.info('qbo cdc cannot cover this window; scanning with a query', { entity, changedSince: after });
    }
    const where = ['Active IN (true, false)', ...(checkpoint.after ? [`MetaData.LastUpdatedTime >= ${qboString(checkpoint.after)}`] : [])];
    const statement = `SELECT * FROM ${entity} WHERE ${where.join(' AND ')} ORDERBY Id STARTPOSITION ${checkpoint.position} MAXRESULTS ${pageSize}`;
    const { rows } = await client.query(entity, statement, schemaOf(input.kind));

    const afterMs = checkpoint.after ? Date.parse(checkpoint.after) : undefined;
    const seen = new Set(checkpoint.seen);
    const fresh = rows.filter((r) => !(afterMs !== undefined && timeOf(r) === afterMs && seen.has(versionKey(r))));

    let high = checkpoint.high;
    let highSeen = new Set(checkpoint.highSeen);
    for (const row of rows) {
      const updated = row.MetaData?.LastUpdatedTime;
      if (!updated || Number.isNaN(Date.parse(updated))) continue;
      const ms = Date.parse(updated);
      const highMs = high ? Date.parse(high) : -Infinity;
      if (ms > highMs) {
        high = updated;
        highSeen = new Set([versionKey(row)]);
      } else if (ms === highMs) {
        highSeen.add(versionKey(row));
      }
    }

    const hasMore = rows.length >= pageSize;
    const next: Checkpoint = hasMore
      ? { ...checkpoint, position: checkpoint.position + rows.length, high, highSeen: [...highSeen], scan: true }
      : finishScan(checkpoint, high, highSeen);
    return { items: await toRemote(input.kind, fresh), checkpoint: JSON.stringify(next), hasMore };
  };

  const resolveTermId = async (kind: ContactKind, name: string | undefined): Promise<string | undefined> => {
    const wanted = name?.trim();
    if (!wanted) return undefined;
    const list = await loadTerms().catch((error: unknown) => {
      const cause = asConnectorError(error, ConnectorErrors.transient);
      if (cause.kind !== 'validation' && cause.kind !== 'not_found') throw cause;
      throw ConnectorErrors.validation('paymentTerms', `QuickBooks payment terms could not be read (${cause.message}); remove the payment terms from the contact or from the field mapping`);
    });
    const match = list.find((t) => t.Name.trim().toLowerCase() === wanted.toLowerCase() && t.Active !== false) ?? list.find((t) => t.Name.trim().toLowerCase() === wanted.toLowerCase());
    if (!match) {
      throw ConnectorErrors.validation(
        'paymentTerms',
        `QuickBooks has no payment term named "${wanted}"; create it in QuickBooks (Settings → All lists → Terms) or change the ${kind}'s payment terms`,
      );
    }
    return match.Id;
  };

  /** On a 6240 QBO names the record holding the name; it can be another kind (reference §12.2), so confirm by reading it. */
  const confirmDuplicate = async (kind: ContactKind, error: ConnectorError, displayName: string | undefined): Promise<ConnectorError> => {
    const id = error.existingRemoteId;
    if (!id) return error;
    const extra = { field: 'displayName', ...(error.providerCode ? { providerCode: error.providerCode } : {}) };
    try {
      const existing = await read(kind, id);
      const same = displayName === undefined || sameName(existing.DisplayName, displayName);
      if (same) {
        const inactive = existing.Active === false ? ' (it is inactive in QuickBooks)' : '';
        return ConnectorErrors.duplicate(id, `QuickBooks ${ENTITY[kind].toLowerCase()} ${id} already uses the name "${existing.DisplayName ?? displayName}"${inactive}; link to it or choose another display name`, extra);
      }
    } catch (readError) {
      if (!(readError instanceof ConnectorError) || readError.kind !== 'not_found') {
        return ConnectorErrors.duplicate(undefined, `${error.message} (could not confirm which record holds the name: ${asConnectorError(readError, ConnectorErrors.transient).message})`, extra);
      }
    }
    return ConnectorErrors.duplicate(
      undefined,
      `The name "${displayName ?? ''}" is already used by another kind of QuickBooks record (a ${kind === 'customer' ? 'vendor' : 'customer'} or an employee, id ${id}); QuickBooks names are unique across customers, vendors and employees, so choose another display name`,
      extra,
    );
  };

  const upsertOne = async (item: UpsertContactItem): Promise<UpsertedContact> => {
    const kind = item.contact.kind;
    const entity: NameListEntity = ENTITY[kind];
    const termId = await resolveTermId(kind, item.contact.paymentTerms);
    const options = termId ? { termId } : {};
    const body: QboNameListWrite = kind === 'customer' ? toQboCustomer(item.contact, options) : toQboVendor(item.contact, options);
    const problem = checkQboNameList(body, kind, item.remoteId ? 'update' : 'create');
    if (problem) throw problem;

    if (!item.remoteId) {
      try {
        const created = await client.createNameList(entity, body, requestIdFor(item.idempotencyKey), kind);
        const [remote] = await toRemote(kind, [created]);
        return { remote: remote as RemoteContact, created: true };
      } catch (error) {
        if (error instanceof ConnectorError && error.kind === 'duplicate') throw await confirmDuplicate(kind, error, body.DisplayName);
        throw error;
      }
    }

    const remoteId = item.remoteId;
    const current = async (): Promise<string> => {
      const record = await read(kind, remoteId);
      const lifecycle = (await toRemote(kind, [record]))[0];
      if (lifecycle?.status === 'merged') {
        throw ConnectorErrors.remoteInactive('merged', `QuickBooks ${entity.toLowerCase()} ${remoteId} was merged${lifecycle.mergedIntoId ? ` into ${lifecycle.mergedIntoId}` : ''}; update the surviving record instead`, lifecycle.mergedIntoId);
      }
      if (record.SyncToken == null) throw ConnectorErrors.transient(`QuickBooks returned ${entity} ${remoteId} without a SyncToken; try again`);
      return record.SyncToken;
    };
    const update = (syncToken: string, requestId: string) => client.sparseUpdateNameList(entity, remoteId, syncToken, body, requestId, kind);

    let updated: QboNameList;
    try {
      updated = await update(item.version ?? (await current()), requestIdFor(item.idempotencyKey));
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.kind !== 'stale') throw error;
      // Someone changed the record since our version: re-read it once and apply the sparse update
      // on top. A new requestid, since QBO would replay the stale answer for the old one.
      ctx.logger.info('qbo stale SyncToken, re-reading once', { entity, id: remoteId });
      updated = await update(await current(), requestIdFor(`${item.idempotencyKey}#stale-retry`));
    }
    const [remote] = await toRemote(kind, [updated]);
    return { remote: remote as RemoteContact, created: false };
  };

  const upsert = async (items: readonly UpsertContactItem[]): Promise<ItemResult<UpsertedContact>[]> => {
    const results: ItemResult<UpsertedContact>[] = [];
    let stop: ConnectorError | undefined;
    for (const item of items) {
      if (stop) {
        results.push({ ok: false, error: new ConnectorError({ ...stop.toJSON(), message: `Not attempted: ${stop.message}` }).toJSON() });
        continue;
      }
      try {
        results.push({ ok: true, value: await upsertOne(item) });
      } catch (error) {
        const failure = asConnectorError(error, (message) => ConnectorErrors.uncertain(`Unexpected failure while writing to QuickBooks: ${message}`));
        if (STOP_KINDS.has(failure.kind)) stop = failure;
        results.push({ ok: false, error: failure.toJSON() });
      }
    }
    return results;
  };

  return {
    tenants: {
      async list() {
        const info = await client.companyInfo();
        const name = (info.CompanyName ?? info.LegalName)?.trim();
        return [{ id: ctx.tenantId, name: name || `QuickBooks company ${ctx.tenantId}` }];
      },
    },
    contacts: {
      search,
      list,
      async get({ kind, id }) {
        const [remote] = await toRemote(kind, [await read(kind, id)]);
        return remote as RemoteContact;
      },
      upsert,
    },
    transactions: createTransactionsApi(ctx, client, (name, kind) => resolveTermId(kind, name)),
    webhooks: createWebhooksApi(ctx.config, () => ctx.clock.now()),
    deepLink: (entity, id) => deepLink(ctx.config.appBaseUrl, entity, id),
  };
}

const DEEP_LINK_PATHS = {
  customer: 'customerdetail?nameId=',
  supplier: 'vendordetail?nameId=',
  invoice: 'invoice?txnId=',
  bill: 'bill?txnId=',
  payment: 'recvpayment?txnId=',
} as const;

/** Link into the QBO web app (community-observed URL patterns, reference §10). */
export function deepLink(appBaseUrl: string, entity: keyof typeof DEEP_LINK_PATHS, id: string): string {
  return `${appBaseUrl}/${DEEP_LINK_PATHS[entity]}${encodeURIComponent(id)}`;
}

function parseCheckpoint(raw: string | undefined): Checkpoint {
  if (raw === undefined || raw === '') return { after: null, position: 1, seen: [], high: null, highSeen: [] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = Checkpoint.safeParse(json);
  if (!parsed.success) {
    throw ConnectorErrors.validation('checkpoint', 'The checkpoint is not one this connector produced; pass the checkpoint of the previous page unchanged, or none for a full read');
  }
  return parsed.data;
}

function finishScan(checkpoint: Checkpoint, high: string | null, highSeen: Set<string>): Checkpoint {
  if (high === null) return { after: checkpoint.after, position: 1, seen: checkpoint.seen, high: null, highSeen: [] };
  return { after: high, position: 1, seen: [...highSeen], high: null, highSeen: [] };
}

function timeOf(record: QboNameList): number | undefined {
  const updated = record.MetaData?.LastUpdatedTime;
  return updated ? Date.parse(updated) : undefined;
}

function versionKey(record: QboNameList): string {
  return `${record.Id}@${record.SyncToken ?? ''}`;
}

function sameName(a: string | null | undefined, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return a != null && norm(a) === norm(b);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
