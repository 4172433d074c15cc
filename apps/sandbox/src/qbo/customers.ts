import type { z } from 'zod';
import { type Json, type JsonObject, isJsonObject } from '../json.js';
import { QboFaults } from './faults.js';
import { CREATE_ONLY_PROPERTIES, CustomerBody, EmployeeBody, KNOWN_PROPERTIES, SYSTEM_PROPERTIES, VendorBody } from './name-entity.schema.js';
import { type NameKind, checkNameCharacters, checkNameFields, generateDisplayName, maxLength, trimNameFields } from './name-rules.js';
import { balanceWithJobsCents, placeInHierarchy, renderHierarchy } from './hierarchy.js';
import { fromCents, toCents } from './money.js';
import { formatQboTime } from './qbo-time.js';
import type { NameRecord, QboCompany } from './store.js';

/** Customers, vendors and employees: the name-list entities the sandbox stores. */
export type StoredNameKind = NameKind;

interface ParsedBody {
  readonly id: string | undefined;
  readonly syncToken: string | undefined;
  readonly sparse: boolean;
  /** Writable properties present in the body (null = clear the property). */
  readonly fields: JsonObject;
}

const SCHEMAS: Record<StoredNameKind, z.ZodType> = { Customer: CustomerBody, Vendor: VendorBody, Employee: EmployeeBody };

/** Checks a request body's shape and splits it into identity and writable fields. */
function parseBody(kind: StoredNameKind, body: unknown): ParsedBody {
  if (body === undefined) throw QboFaults.parseObject('Request Body is Empty');
  if (!isJsonObject(body)) throw QboFaults.parseObject(`Expected a JSON object with the ${kind}'s fields`);
  for (const key of Object.keys(body)) {
    if (!KNOWN_PROPERTIES[kind].has(key)) throw QboFaults.unsupportedProperty(key);
  }
  const result = SCHEMAS[kind].safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw QboFaults.parseObject(`Request has an invalid value for ${path === '' ? 'the body' : path}: ${issue?.message ?? 'invalid'}`);
  }
  const parsed = result.data as JsonObject;
  const fields: JsonObject = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!SYSTEM_PROPERTIES[kind].has(key)) fields[key] = value;
  }
  const id = parsed.Id;
  const syncToken = parsed.SyncToken;
  return {
    id: typeof id === 'string' && id !== '' ? id : undefined,
    syncToken: typeof syncToken === 'string' && syncToken !== '' ? syncToken : undefined,
    sparse: parsed.sparse === true,
    fields,
  };
}

/** Drops nulls (cleared properties). */
function withoutNulls(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== null) out[key] = value;
  return out;
}

/** Fills in DisplayName, checks every name rule and uniqueness; returns the fields to store. */
function finalise(company: QboCompany, kind: StoredNameKind, fields: JsonObject, self: NameRecord | undefined): JsonObject {
  // Characters first, on the raw values: trimming must not hide a trailing newline.
  const characterFault = checkNameCharacters(fields);
  if (characterFault) throw characterFault;
  let result = trimNameFields(fields);
  if (typeof result.DisplayName !== 'string' || result.DisplayName === '') {
    const generated = generateDisplayName(result);
    if (generated === undefined) {
      throw QboFaults.requiredParameter(
        'DisplayName',
        ': send DisplayName or at least one of Title, GivenName, MiddleName, FamilyName or Suffix',
      );
    }
    result = { ...result, DisplayName: generated };
  }
  const displayName = result.DisplayName as string;
  const fieldFault = checkNameFields(kind, result);
  if (fieldFault) throw fieldFault;

  const holder = company.findByDisplayName(displayName);
  if (holder !== undefined && holder !== self) throw QboFaults.duplicateName(holder.id);

  if (typeof result.PrintOnCheckName !== 'string' || result.PrintOnCheckName === '') {
    // Intuit's create sample fills PrintOnCheckName from CompanyName, else DisplayName.
    const source = typeof result.CompanyName === 'string' && result.CompanyName !== '' ? result.CompanyName : displayName;
    result = { ...result, PrintOnCheckName: source.slice(0, maxLength(kind, 'PrintOnCheckName') ?? source.length) };
  }
  for (const key of ['BillAddr', 'ShipAddr']) {
    const addr = result[key];
    if (isJsonObject(addr) && (typeof addr.Id !== 'string' || addr.Id === '')) {
      result = { ...result, [key]: { Id: company.allocateAddressId(), ...addr } };
    }
  }
  return result;
}

function defaults(company: QboCompany, kind: StoredNameKind): JsonObject {
  const currency: JsonObject = { value: company.currency.value, name: company.currency.name };
  if (kind === 'Customer') {
    return { Active: true, Job: false, BillWithParent: false, Balance: 0, CurrencyRef: currency, PreferredDeliveryMethod: 'Print' };
  }
  if (kind === 'Employee') return { Active: true, BillableTime: false };
  return { Active: true, Vendor1099: false, Balance: 0, CurrencyRef: currency };
}

/** Creates a customer or vendor. Throws a QboFault for any rule it breaks. */
export function createNameEntity(company: QboCompany, kind: StoredNameKind, body: unknown, nowMs: number): NameRecord {
  const parsed = parseBody(kind, body);
  if (parsed.id !== undefined) throw QboFaults.businessValidation('Id is assigned by QuickBooks; leave it out when creating.', 'Id');
  const finalised = finalise(company, kind, { ...defaults(company, kind), ...withoutNulls(parsed.fields) }, undefined);
  const fields = kind === 'Customer' ? placeInHierarchy(company, finalised, undefined) : finalised;
  const record: NameRecord = { kind, id: company.allocateNameId(), syncToken: 0, createdMs: nowMs, updatedMs: nowMs, fields };
  company.insert(record);
  return record;
}

/**
 * Full or sparse update (`"sparse": true`). Sparse changes only the properties sent; full replaces
 * every writable property (omitted ones are cleared). Stale SyncToken → 5010; unknown Id → 610.
 */
export function updateNameEntity(company: QboCompany, kind: StoredNameKind, body: unknown, nowMs: number): NameRecord {
  const parsed = parseBody(kind, body);
  if (parsed.id === undefined) throw QboFaults.requiredParameter('Id');
  const record = company.entities(kind).get(parsed.id);
  if (record === undefined) throw QboFaults.objectNotFound();
  if (parsed.syncToken === undefined) throw QboFaults.requiredParameter('SyncToken');
  if (parsed.syncToken !== String(record.syncToken)) throw QboFaults.staleObject();

  const incoming: JsonObject = {};
  for (const [key, value] of Object.entries(parsed.fields)) if (!CREATE_ONLY_PROPERTIES.has(key)) incoming[key] = value;
  let next: JsonObject;
  if (parsed.sparse) {
    for (const key of ['DisplayName', 'PrintOnCheckName']) {
      if (incoming[key] === null || incoming[key] === '') {
        throw QboFaults.businessValidation(`${key} cannot be removed with a sparse update; send a new value instead.`, key);
      }
    }
    next = withoutNulls({ ...record.fields, ...incoming });
  } else {
    const kept: JsonObject = {};
    for (const key of CREATE_ONLY_PROPERTIES) {
      const value: Json | undefined = record.fields[key];
      if (value !== undefined) kept[key] = value;
    }
    next = { ...defaults(company, kind), ...kept, ...withoutNulls(incoming) };
  }
  const finalised = finalise(company, kind, next, record);
  const fields = kind === 'Customer' ? placeInHierarchy(company, finalised, record) : finalised;
  company.replaceFields(record, fields);
  record.syncToken += 1;
  record.updatedMs = nowMs;
  return record;
}

/** The entity as the QuickBooks Online API returns it. */
export function renderNameEntity(company: QboCompany, record: NameRecord): JsonObject {
  const entity: JsonObject = { domain: 'QBO', Id: record.id, SyncToken: String(record.syncToken), ...record.fields };
  if (record.kind === 'Customer') {
    Object.assign(entity, renderHierarchy(company, record));
    entity.BalanceWithJobs = fromCents(balanceWithJobsCents(company, record, toCents));
    entity.IsProject = false;
  }
  entity.sparse = false;
  entity.MetaData = {
    CreateTime: formatQboTime(record.createdMs, company.timeZone),
    LastUpdatedTime: formatQboTime(record.updatedMs, company.timeZone),
  };
  return entity;
}
