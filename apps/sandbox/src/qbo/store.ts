import { randomInt } from 'node:crypto';
import type { SandboxResponse } from '../http.js';
import type { JsonObject } from '../json.js';
import { seedDefaultLists } from './lists.js';
import { type NameKind, nameKey } from './name-rules.js';

/** A Customer or Vendor as the sandbox keeps it. `fields` holds everything but the system fields. */
export interface NameRecord {
  readonly kind: NameKind;
  readonly id: string;
  syncToken: number;
  readonly createdMs: number;
  updatedMs: number;
  fields: JsonObject;
}

export interface CurrencyRef {
  readonly value: string;
  readonly name: string;
}

export interface CompanySettings {
  readonly name: string;
  /** Fixed realm id (the demo seed uses stable ones); random when absent. */
  readonly realmId?: string;
  /** IANA zone the company's timestamps are written in. */
  readonly timeZone?: string;
  /** ISO country code of the company, e.g. `US`, `AU`. */
  readonly country?: string;
  readonly currency?: CurrencyRef;
  readonly createdMs: number;
}

/** Reference lists the sandbox keeps with plain fields: items, accounts and payment terms. */
export type ListKind = 'Item' | 'Account' | 'Term';
export const LIST_KINDS: readonly ListKind[] = ['Item', 'Account', 'Term'];

/** Transactions with lines and amounts. */
export type TxnKind = 'Invoice' | 'Bill' | 'Payment' | 'SalesReceipt' | 'CreditMemo' | 'Estimate';
export const TXN_KINDS: readonly TxnKind[] = ['Invoice', 'Bill', 'Payment', 'SalesReceipt', 'CreditMemo', 'Estimate'];

/** Any stored entity: system fields apart, everything else in `fields`. */
export interface EntityRecord {
  readonly kind: string;
  readonly id: string;
  syncToken: number;
  readonly createdMs: number;
  updatedMs: number;
  fields: JsonObject;
}

export interface ListRecord extends EntityRecord {
  readonly kind: ListKind;
}

/** A transaction; amounts are integer cents, `fields.TotalAmt`/`Balance` are rendered from them. */
export interface TxnRecord extends EntityRecord {
  readonly kind: TxnKind;
  totalCents: number;
  /** What is still owed (invoices) — total minus payments applied. */
  balanceCents: number;
  /** Invoices: cents applied by payments. Credit memos: credit used by payments. */
  appliedCents: number;
  /** Payments: the invoices they pay and the credit memos they use (`txnType` CreditMemo), in cents. */
  links: { readonly txnId: string; readonly cents: number; readonly txnType?: 'Invoice' | 'CreditMemo' }[];
  voided: boolean;
}

/** A hard-deleted transaction or a merged-away name, for CDC (`status: "Deleted"`). */
export interface Tombstone {
  readonly kind: string;
  readonly id: string;
  readonly deletedMs: number;
}

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void';

/** One entity change, as webhooks report it. */
export interface ChangeEvent {
  readonly realmId: string;
  readonly entity: string;
  readonly id: string;
  readonly operation: ChangeOperation;
  readonly timeMs: number;
  /** Merge: the Id that was merged away. */
  readonly deletedId?: string;
}

/** How many tombstones a company keeps (CDC looks back 30 days; older ones are dropped first). */
const TOMBSTONE_MEMORY = 200_000;

/** How many `requestid` responses a company remembers before the oldest is forgotten. */
const REQUEST_ID_MEMORY = 100_000;

/**
 * One QuickBooks Online company (realm). Customers and vendors live in maps keyed by Id, in Id
 * order, and share one index of DisplayName keys, so lookups stay O(1) at a million records.
 */
export class QboCompany {
  readonly realmId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly country: string;
  readonly currency: CurrencyRef;
  readonly createdMs: number;
  readonly customers = new Map<string, NameRecord>();
  readonly vendors = new Map<string, NameRecord>();
  private readonly names = new Map<string, NameRecord>();
  readonly employees = new Map<string, NameRecord>();
  readonly lists: Readonly<Record<ListKind, Map<string, ListRecord>>> = { Item: new Map(), Account: new Map(), Term: new Map() };
  readonly txns: Readonly<Record<TxnKind, Map<string, TxnRecord>>> = {
    Invoice: new Map(),
    Bill: new Map(),
    Payment: new Map(),
    SalesReceipt: new Map(),
    CreditMemo: new Map(),
    Estimate: new Map(),
  };
  readonly tombstones: Tombstone[] = [];
  /** Merged-away customer/vendor Id → surviving Id. */
  readonly merged = new Map<string, string>();
  /**
   * Duplicate DocNumber handling: `reject` (default, the stricter behaviour: 6140 unless the
   * request says `include=allowduplicatedocnum`) or `allow` (every duplicate accepted).
   */
  duplicateDocNumbers: 'reject' | 'allow' = 'reject';
  /**
   * Intuit's 10 requests per second per realm (and app). Off unless switched on per company
   * (control settings `requestsPerSecond: "enforce"`), so suites that burst stay green.
   */
  requestsPerSecond: 'enforce' | 'off' = 'off';
  /** While a batch runs: the records its items created, invisible to the other items. */
  batchCreated: Set<EntityRecord> | undefined;
  /** Called after every committed change (webhooks listen here). */
  onChange: ((event: ChangeEvent) => void) | undefined;
  private readonly requestIds = new Map<string, SandboxResponse>();
  private readonly docNumbers = new Map<string, string>();
  private docIndexStale = false;
  private readonly nextDocNumber = new Map<TxnKind, number>();
  private readonly nextListIds: Record<ListKind, number> = { Item: 1, Account: 1, Term: 1 };
  private nextTxnId = 1;
  /** Customers, vendors and employees draw Ids from one sequence, as QBO's "nameId" suggests. */
  private nextNameId = 1;
  private nextAddressId = 1;

  constructor(settings: CompanySettings & { readonly realmId: string }) {
    this.realmId = settings.realmId;
    this.name = settings.name;
    this.timeZone = settings.timeZone ?? 'America/Los_Angeles';
    this.country = settings.country ?? 'US';
    this.currency = settings.currency ?? { value: 'USD', name: 'United States Dollar' };
    this.createdMs = settings.createdMs;
  }

  entities(kind: NameKind): Map<string, NameRecord> {
    switch (kind) {
      case 'Customer':
        return this.customers;
      case 'Vendor':
        return this.vendors;
      case 'Employee':
        return this.employees;
    }
  }

  allocateListId(kind: ListKind): string {
    const id = String(this.nextListIds[kind]);
    this.nextListIds[kind] += 1;
    return id;
  }

  allocateTxnId(): string {
    const id = String(this.nextTxnId);
    this.nextTxnId += 1;
    return id;
  }

  /** Bulk loads skip the DocNumber index; it is rebuilt from the transactions on next use. */
  docNumbersChanged(): void {
    this.docIndexStale = true;
  }

  private docIndex(): Map<string, string> {
    if (this.docIndexStale) {
      this.docIndexStale = false;
      let highest = 0;
      for (const kind of TXN_KINDS) {
        for (const record of this.txns[kind].values()) {
          const doc = record.fields.DocNumber;
          if (typeof doc !== 'string' || this.docNumbers.has(`${kind}:${doc}`)) continue;
          this.docNumbers.set(`${kind}:${doc}`, record.id);
          if (kind === 'Invoice' && /^\d+$/.test(doc)) highest = Math.max(highest, Number(doc));
        }
      }
      if (highest >= (this.nextDocNumber.get('Invoice') ?? 0)) this.nextDocNumber.set('Invoice', highest + 1);
    }
    return this.docNumbers;
  }

  /** Next system DocNumber of a sales form (1001, 1002, …), skipping numbers already taken. */
  allocateDocNumber(kind: TxnKind): string {
    const docNumbers = this.docIndex();
    let next = this.nextDocNumber.get(kind) ?? 1001;
    while (docNumbers.has(`${kind}:${String(next)}`)) next += 1;
    this.nextDocNumber.set(kind, next + 1);
    return String(next);
  }

  /** The Id of the transaction of this kind holding `docNumber`, if any. */
  docNumberHolder(kind: TxnKind, docNumber: string): string | undefined {
    return this.docIndex().get(`${kind}:${docNumber}`);
  }

  setDocNumber(kind: TxnKind, docNumber: string | undefined, id: string, previous?: string): void {
    this.docIndex();
    if (previous !== undefined && this.docNumbers.get(`${kind}:${previous}`) === id) this.docNumbers.delete(`${kind}:${previous}`);
    if (docNumber !== undefined && docNumber !== '' && !this.docNumbers.has(`${kind}:${docNumber}`)) this.docNumbers.set(`${kind}:${docNumber}`, id);
  }

  bury(kind: string, id: string, deletedMs: number): void {
    this.tombstones.push({ kind, id, deletedMs });
    if (this.tombstones.length > TOMBSTONE_MEMORY) this.tombstones.splice(0, this.tombstones.length - TOMBSTONE_MEMORY);
  }

  emit(entity: string, id: string, operation: ChangeOperation, timeMs: number, deletedId?: string): void {
    this.onChange?.({ realmId: this.realmId, entity, id, operation, timeMs, ...(deletedId === undefined ? {} : { deletedId }) });
  }

  allocateNameId(): string {
    const id = String(this.nextNameId);
    this.nextNameId += 1;
    return id;
  }

  allocateAddressId(): string {
    const id = String(this.nextAddressId);
    this.nextAddressId += 1;
    return id;
  }

  /** The customer, vendor or employee (active or not) that holds this DisplayName. */
  findByDisplayName(displayName: string): NameRecord | undefined {
    return this.names.get(nameKey(displayName));
  }

  insert(record: NameRecord): void {
    this.entities(record.kind).set(record.id, record);
    this.names.set(nameKey(displayNameOf(record)), record);
    this.indexParent(record, undefined);
  }

  /** Customer Id → Ids of its direct sub-customers (jobs). */
  readonly subCustomers = new Map<string, Set<string>>();

  private indexParent(record: NameRecord, previousParent: string | undefined): void {
    if (record.kind !== 'Customer') return;
    const parent = parentIdOf(record);
    if (parent === previousParent) return;
    if (previousParent !== undefined) this.subCustomers.get(previousParent)?.delete(record.id);
    if (parent !== undefined) {
      let children = this.subCustomers.get(parent);
      if (children === undefined) this.subCustomers.set(parent, (children = new Set()));
      children.add(record.id);
    }
  }

  /** Replaces a record's fields and keeps the DisplayName and sub-customer indexes in step. */
  replaceFields(record: NameRecord, fields: JsonObject): void {
    const before = nameKey(displayNameOf(record));
    const previousParent = parentIdOf(record);
    record.fields = fields;
    this.indexParent(record, previousParent);
    const after = nameKey(displayNameOf(record));
    if (before !== after) {
      if (this.names.get(before) === record) this.names.delete(before);
      this.names.set(after, record);
    }
  }

  rememberedResponse(requestId: string): SandboxResponse | undefined {
    return this.requestIds.get(requestId);
  }

  rememberResponse(requestId: string, response: SandboxResponse): void {
    this.requestIds.set(requestId, response);
    if (this.requestIds.size > REQUEST_ID_MEMORY) {
      const oldest = this.requestIds.keys().next();
      if (oldest.done !== true) this.requestIds.delete(oldest.value);
    }
  }
}

export function displayNameOf(record: NameRecord): string {
  const value = record.fields.DisplayName;
  return typeof value === 'string' ? value : '';
}

/** All QuickBooks Online companies of one sandbox. */
export class QboStore {
  private readonly companies = new Map<string, QboCompany>();
  /** Told about every change in every company (webhooks). */
  onChange: ((event: ChangeEvent) => void) | undefined;

  createCompany(settings: CompanySettings): QboCompany {
    let realmId = settings.realmId;
    while (realmId === undefined || this.companies.has(realmId)) {
      if (settings.realmId !== undefined && realmId === settings.realmId) throw new Error(`Realm ${realmId} already exists`);
      realmId = `9341${String(randomInt(100_000_000, 999_999_999))}${String(randomInt(100, 999))}`;
    }
    const company = new QboCompany({ ...settings, realmId });
    seedDefaultLists(company, settings.createdMs);
    company.onChange = (event) => this.onChange?.(event);
    this.companies.set(realmId, company);
    return company;
  }

  get(realmId: string): QboCompany | undefined {
    return this.companies.get(realmId);
  }

  list(): QboCompany[] {
    return [...this.companies.values()];
  }

  clear(): void {
    this.companies.clear();
  }
}

/** The Id in a customer's ParentRef, when it is a sub-customer. */
export function parentIdOf(record: EntityRecord): string | undefined {
  const ref = record.fields.ParentRef;
  return typeof ref === 'object' && ref !== null && !Array.isArray(ref) && typeof ref.value === 'string' && ref.value !== '' ? ref.value : undefined;
}
