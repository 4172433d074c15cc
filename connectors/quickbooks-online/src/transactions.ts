import { createHash } from 'node:crypto';
import {
  ConnectorError,
  ConnectorErrors,
  type ConnectorContext,
  type ContactKind,
  type ItemResult,
  type PushedTransaction,
  type PushTransactionItem,
  type RemoteTransaction,
  type TransactionsApi,
} from '@ledgerlink/connector-sdk';
import { type QboClient, qboString, requestIdFor } from './client.js';
import type { QboConfig } from './config.js';
import { asConnectorError } from './errors.js';
import { TXN_ENTITY, documentNumberOf, fromQboTransaction, isQboTransactionType, partyKeyOf, splitPrivateNote, toQboTransaction, type LineRefs, type QboTransactionType } from './mappers/transactions.js';
import { transactionFaultError } from './transaction-errors.js';
import type { QboRef } from './vendor/name-list.schema.js';
import { QboAccount, QboItem, QboTransaction, type TxnEntity } from './vendor/transaction.schema.js';

/** Intuit: at most 30 items per batch request (reference §6). */
export const MAX_BATCH_ITEMS = 30;
/** QBO accepts at most 36 characters of `requestid` on /batch. */
export const MAX_BATCH_REQUEST_ID = 36;
const PAGE = 1000;
/** listForContact reads at most this many documents per type (newest first). */
const MAX_PER_TYPE = 5000;

const CUSTOMER_TYPES: readonly QboTransactionType[] = ['invoice', 'payment', 'estimate', 'sales_receipt', 'credit_note'];
const SUPPLIER_TYPES: readonly QboTransactionType[] = ['bill'];
const STOP_KINDS = new Set(['rate_limited', 'auth_expired', 'auth_revoked']);

/**
 * The batch's `requestid`: a hash of its items' idempotency keys (and bodies) in order, so sending
 * the same items again (a retry) replays QBO's first answer instead of writing twice.
 */
export function batchRequestIdFor(idempotencyKeys: readonly string[]): string {
  const digest = createHash('sha256').update(idempotencyKeys.map((key) => `${key.length}:${key}`).join('\n'), 'utf8').digest('base64url');
  return `llb-${digest}`.slice(0, MAX_BATCH_REQUEST_ID);
}

interface Prepared {
  readonly index: number;
  readonly item: PushTransactionItem;
  readonly entity: TxnEntity;
  readonly operation: 'create' | 'update';
  readonly body: Record<string, unknown>;
}

type Terms = (name: string | undefined, kind: ContactKind) => Promise<string | undefined>;

export function createTransactionsApi(ctx: ConnectorContext<QboConfig>, client: QboClient, resolveTerm: Terms): TransactionsApi {
  const cache = new Map<string, Promise<unknown[]>>();
  const loadList = <T>(entity: 'Item' | 'Account', schema: typeof QboItem | typeof QboAccount): Promise<T[]> => {
    let pending = cache.get(entity);
    if (!pending) {
      pending = (async () => {
        const out: unknown[] = [];
        for (let start = 1; ; start += PAGE) {
          const { rows } = await client.query(entity, `SELECT * FROM ${entity} WHERE Active IN (true, false) STARTPOSITION ${start} MAXRESULTS ${PAGE}`, schema);
          out.push(...rows);
          if (rows.length < PAGE) return out;
        }
      })().catch((error: unknown) => {
        cache.delete(entity);
        throw error;
      });
      cache.set(entity, pending);
    }
    return pending as Promise<T[]>;
  };

  /** An item or account by Id, name, full name, SKU or account number (active ones first). */
  const lookup = async (entity: 'Item' | 'Account', code: string, field: string): Promise<QboRef> => {
    const list = entity === 'Item' ? await loadList<QboItem>('Item', QboItem) : await loadList<QboAccount>('Account', QboAccount);
    const wanted = code.trim().toLowerCase();
    const names = (r: QboItem | QboAccount) => [r.Name, r.FullyQualifiedName, 'Sku' in r ? r.Sku : undefined, 'AcctNum' in r ? r.AcctNum : undefined];
    const matches = list.filter((r) => r.Id === code.trim() || names(r).some((n) => n?.trim().toLowerCase() === wanted));
    const found = matches.find((r) => r.Active !== false) ?? matches[0];
    const what = entity === 'Item' ? 'product or service' : 'account';
    if (!found) {
      throw ConnectorErrors.validation(field, `QuickBooks has no ${what} "${code}"; create it in QuickBooks (${entity === 'Item' ? 'Sales → Products and services' : 'Accounting → Chart of accounts'}) or change ${field}`);
    }
    if (found.Active === false) throw ConnectorErrors.validation(field, `The QuickBooks ${what} "${code}" is inactive; make it active in QuickBooks or change ${field}`);
    return { value: found.Id, name: found.Name };
  };

  const lineRefs = async (item: PushTransactionItem): Promise<LineRefs[]> => {
    const { transaction } = item;
    const out: LineRefs[] = [];
    for (const [index, line] of transaction.lines.entries()) {
      if (transaction.type === 'bill') {
        const account = line.accountCode ?? ctx.config.defaultExpenseAccount;
        if (line.itemCode !== undefined) out.push({ item: await lookup('Item', line.itemCode, `lines[${index}].itemCode`) });
        else if (account !== undefined) out.push({ account: await lookup('Account', account, line.accountCode !== undefined ? `lines[${index}].accountCode` : 'defaultExpenseAccount') });
        else out.push({});
      } else {
        const code = line.itemCode ?? ctx.config.defaultItem;
        out.push(code !== undefined ? { item: await lookup('Item', code, line.itemCode !== undefined ? `lines[${index}].itemCode` : 'defaultItem') } : {});
      }
    }
    return out;
  };

  const read = async (entity: TxnEntity, id: string) => client.readEntity(entity, id, QboTransaction);

  /**
   * The invoice a payment pays: `customFields.invoiceId` (the QBO invoice's Id) or
   * `customFields.invoiceNumber` (its DocNumber, looked up); neither leaves the payment unapplied.
   */
  const appliedInvoice = async (transaction: PushTransactionItem['transaction']): Promise<string | undefined> => {
    if (transaction.type !== 'payment') return undefined;
    const id = transaction.customFields.invoiceId?.trim();
    if (id) return id;
    const number = transaction.customFields.invoiceNumber?.trim();
    if (!number) return undefined;
    const { rows } = await client.query('Invoice', `SELECT * FROM Invoice WHERE DocNumber = ${qboString(number)}`, QboTransaction);
    const found = rows[0]?.Id;
    if (!found) throw ConnectorErrors.validation('customFields.invoiceNumber', `QuickBooks has no invoice numbered "${number}"; sync the invoice first or correct customFields.invoiceNumber`);
    return found;
  };

  const prepare = async (item: PushTransactionItem, index: number): Promise<Prepared> => {
    const type = item.transaction.type;
    if (!isQboTransactionType(type)) throw ConnectorErrors.validation('type', `QuickBooks Online transactions of type ${type} are not supported by this connector`);
    if (item.contactId.trim() === '') throw ConnectorErrors.validation('contactId', 'contactId is empty; link the contact to a QuickBooks customer or vendor first');
    const entity = TXN_ENTITY[type];
    const termId = type === 'invoice' || type === 'estimate' || type === 'bill' ? await resolveTerm(item.transaction.paymentTerms, type === 'bill' ? 'supplier' : 'customer') : undefined;
    const invoiceId = await appliedInvoice(item.transaction);
    const body = toQboTransaction(item.transaction, {
      contactId: item.contactId,
      requestId: requestIdFor(item.idempotencyKey),
      lineRefs: await lineRefs(item),
      ...(termId !== undefined ? { termId } : {}),
      ...(invoiceId !== undefined ? { appliesToInvoiceId: invoiceId } : {}),
    });
    if (item.remoteId === undefined) return { index, item, entity, operation: 'create', body };
    const syncToken = item.version ?? (await read(entity, item.remoteId)).SyncToken;
    if (syncToken == null) throw ConnectorErrors.transient(`QuickBooks returned ${entity} ${item.remoteId} without a SyncToken; try again`);
    return { index, item, entity, operation: 'update', body: { ...body, Id: item.remoteId, SyncToken: syncToken, sparse: true } };
  };

  const fail = (error: unknown): ConnectorError => asConnectorError(error, (message) => ConnectorErrors.uncertain(`Unexpected failure while writing to QuickBooks: ${message}`));

  const sendChunk = async (chunk: readonly Prepared[], results: ItemResult<PushedTransaction>[]): Promise<ConnectorError | undefined> => {
    // Keys and bodies: an identical retry replays QBO's first answer, a corrected item is a new request.
    const requestId = batchRequestIdFor(chunk.map((p) => `${p.operation}:${p.item.idempotencyKey}:${createHash('sha256').update(JSON.stringify(p.body)).digest('base64url')}`));
    const items = chunk.map((p, i) => ({ bId: String(i + 1), operation: p.operation, [p.entity]: p.body }));
    let answer;
    try {
      answer = await client.batch(items, requestId);
    } catch (error) {
      let failure = fail(error);
      // A batch that failed for a server or network reason may have been written: say so.
      if (failure.kind === 'transient') failure = ConnectorErrors.uncertain(`QuickBooks may or may not have saved this transaction (${failure.message}); call find() before pushing it again`, failure.providerCode ? { providerCode: failure.providerCode } : {});
      for (const p of chunk) results[p.index] = { ok: false, error: failure.toJSON() };
      return STOP_KINDS.has(failure.kind) ? failure : undefined;
    }
    const byBid = new Map(answer.BatchItemResponse.map((r) => [r.bId, r]));
    chunk.forEach((p, i) => {
      const response = byBid.get(String(i + 1));
      try {
        if (!response) throw ConnectorErrors.uncertain(`QuickBooks answered the batch without this item; call find() before pushing it again`);
        if (response.Fault !== undefined) throw transactionFaultError({ Fault: response.Fault }, p.operation);
        const parsed = QboTransaction.safeParse(response[p.entity]);
        if (!parsed.success) throw ConnectorErrors.uncertain(`QuickBooks answered the ${p.entity} in an unexpected shape; call find() before pushing it again`);
        results[p.index] = { ok: true, value: { remote: fromQboTransaction(p.entity, parsed.data, ctx.config.appBaseUrl, p.item.transaction.currency), created: p.operation === 'create' } };
      } catch (error) {
        results[p.index] = { ok: false, error: fail(error).toJSON() };
      }
    });
    return undefined;
  };

  const push = async (items: readonly PushTransactionItem[]): Promise<ItemResult<PushedTransaction>[]> => {
    const results: ItemResult<PushedTransaction>[] = new Array<ItemResult<PushedTransaction>>(items.length);
    const ready: Prepared[] = [];
    let stop: ConnectorError | undefined;
    for (const [index, item] of items.entries()) {
      if (stop) {
        results[index] = { ok: false, error: new ConnectorError({ ...stop.toJSON(), message: `Not attempted: ${stop.message}` }).toJSON() };
        continue;
      }
      try {
        ready.push(await prepare(item, index));
      } catch (error) {
        const failure = asConnectorError(error, ConnectorErrors.transient);
        if (STOP_KINDS.has(failure.kind)) stop = failure;
        results[index] = { ok: false, error: failure.toJSON() };
      }
    }
    for (let start = 0; start < ready.length; start += MAX_BATCH_ITEMS) {
      const chunk = ready.slice(start, start + MAX_BATCH_ITEMS);
      if (stop) {
        for (const p of chunk) results[p.index] = { ok: false, error: new ConnectorError({ ...stop.toJSON(), message: `Not attempted: ${stop.message}` }).toJSON() };
        continue;
      }
      stop = await sendChunk(chunk, results);
    }
    return results;
  };

  const queryAll = async (entity: TxnEntity, where: readonly string[], limit: number): Promise<QboTransaction[]> => {
    const out: QboTransaction[] = [];
    for (let start = 1; out.length < limit; start += PAGE) {
      const statement = `SELECT * FROM ${entity}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDERBY MetaData.LastUpdatedTime DESC STARTPOSITION ${start} MAXRESULTS ${PAGE}`;
      const { rows } = await client.query(entity, statement, QboTransaction);
      out.push(...rows);
      if (rows.length < PAGE) break;
    }
    return out.slice(0, limit);
  };

  const listForContact: TransactionsApi['listForContact'] = async ({ kind, contactId, since, types }) => {
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw ConnectorErrors.validation('since', `since must be an ISO timestamp such as 2026-11-01T00:00:00Z; got ${since}`);
    const wanted = (kind === 'customer' ? CUSTOMER_TYPES : SUPPLIER_TYPES).filter((type) => types === undefined || types.includes(type));
    const out: RemoteTransaction[] = [];
    for (const type of wanted) {
      const entity = TXN_ENTITY[type];
      const where = [`${partyKeyOf(entity)} = ${qboString(contactId)}`, ...(since !== undefined ? [`MetaData.LastUpdatedTime > ${qboString(new Date(since).toISOString())}`] : [])];
      for (const raw of await queryAll(entity, where, MAX_PER_TYPE)) out.push(fromQboTransaction(entity, raw, ctx.config.appBaseUrl));
    }
    return out.sort((a, b) => b.transaction.issueDate.localeCompare(a.transaction.issueDate) || (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || Number(b.id) - Number(a.id));
  };

  const find: NonNullable<TransactionsApi['find']> = async ({ type, idempotencyKey, number, contactId }) => {
    if (!isQboTransactionType(type)) return undefined;
    if (idempotencyKey === undefined && number === undefined) throw ConnectorErrors.validation('idempotencyKey', 'find() needs an idempotencyKey or a number');
    const entity = TXN_ENTITY[type];
    // PrivateNote cannot be filtered on (Intuit lists DocNumber, TxnDate, the party and MetaData
    // as filterable), so the marker is matched here among the candidates QBO returns.
    const where = [
      ...(contactId !== undefined ? [`${partyKeyOf(entity)} = ${qboString(contactId)}`] : []),
      ...(number !== undefined && type !== 'payment' ? [`DocNumber = ${qboString(number)}`] : []),
    ];
    const candidates = await queryAll(entity, where, where.length ? MAX_PER_TYPE : PAGE);
    const marker = idempotencyKey !== undefined ? requestIdFor(idempotencyKey) : undefined;
    const match = candidates.find((raw) => (marker !== undefined ? splitPrivateNote(raw.PrivateNote).marker === marker : documentNumberOf(type, raw) === number));
    return match ? fromQboTransaction(entity, match, ctx.config.appBaseUrl) : undefined;
  };

  return { push, listForContact, find };
}

