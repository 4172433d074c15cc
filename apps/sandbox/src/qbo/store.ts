import { randomInt } from 'node:crypto';
import type { SandboxResponse } from '../http.js';
import type { JsonObject } from '../json.js';
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
  private readonly requestIds = new Map<string, SandboxResponse>();
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
        throw new Error('The sandbox has no employees yet');
    }
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
  }

  /** Replaces a record's fields and keeps the DisplayName index in step. */
  replaceFields(record: NameRecord, fields: JsonObject): void {
    const before = nameKey(displayNameOf(record));
    record.fields = fields;
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

  createCompany(settings: CompanySettings): QboCompany {
    let realmId = settings.realmId;
    while (realmId === undefined || this.companies.has(realmId)) {
      if (settings.realmId !== undefined && realmId === settings.realmId) throw new Error(`Realm ${realmId} already exists`);
      realmId = `9341${String(randomInt(100_000_000, 999_999_999))}${String(randomInt(100, 999))}`;
    }
    const company = new QboCompany({ ...settings, realmId });
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
