import { type Json, type JsonObject, isJsonObject } from '../json.js';
import { type QboFault, QboFaults } from './faults.js';

/** Entities that share QuickBooks' DisplayName namespace ("name list" entities). */
export type NameKind = 'Customer' | 'Vendor' | 'Employee';

/** Person-name parts DisplayName is generated from, in order. */
export const NAME_PARTS = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'] as const;

/** Fields that must not contain a colon, tab or newline (Intuit Customer reference, business rules). */
export const SEPARATOR_FREE_FIELDS = ['DisplayName', ...NAME_PARTS, 'PrintOnCheckName'] as const;

/**
 * Maximum lengths. Intuit's current API reference (quickbooks-online-api.md §2.1/§2.2) is newer than
 * the lengths written in the XSD annotations (which still carry QuickBooks Desktop limits such as
 * GivenName 25), so the reference wins where they differ.
 */
const COMMON_LIMITS: Readonly<Record<string, number>> = {
  Title: 16,
  GivenName: 100,
  MiddleName: 100,
  FamilyName: 100,
  Suffix: 16,
  DisplayName: 500,
  CompanyName: 100,
  Notes: 2000,
  'PrimaryEmailAddr.Address': 100,
  'PrimaryPhone.FreeFormNumber': 30,
  'AlternatePhone.FreeFormNumber': 30,
  'Mobile.FreeFormNumber': 30,
  'Fax.FreeFormNumber': 30,
  'WebAddr.URI': 1000,
};

const ADDRESS_LIMITS: Readonly<Record<string, number>> = {
  Line1: 500,
  Line2: 500,
  Line3: 500,
  Line4: 500,
  Line5: 500,
  City: 255,
  Country: 255,
  CountrySubDivisionCode: 255,
  PostalCode: 30,
};

const KIND_LIMITS: Readonly<Record<NameKind, Readonly<Record<string, number>>>> = {
  Customer: { PrintOnCheckName: 110, ResaleNum: 16 },
  Vendor: { PrintOnCheckName: 100, AcctNum: 100, TaxIdentifier: 20 },
  Employee: { PrintOnCheckName: 100 },
};

const ADDRESS_FIELDS: Readonly<Record<NameKind, readonly string[]>> = {
  Customer: ['BillAddr', 'ShipAddr'],
  Vendor: ['BillAddr'],
  Employee: ['PrimaryAddr'],
};

const LIMITS: Readonly<Record<NameKind, ReadonlyMap<string, number>>> = {
  Customer: limitsFor('Customer'),
  Vendor: limitsFor('Vendor'),
  Employee: limitsFor('Employee'),
};

function limitsFor(kind: NameKind): ReadonlyMap<string, number> {
  const limits = new Map(Object.entries({ ...COMMON_LIMITS, ...KIND_LIMITS[kind] }));
  for (const address of ADDRESS_FIELDS[kind]) {
    for (const [part, max] of Object.entries(ADDRESS_LIMITS)) limits.set(`${address}.${part}`, max);
  }
  return limits;
}

/** The longest a field (or `Parent.Child` path) may be, or undefined when the sandbox does not limit it. */
export function maxLength(kind: NameKind, field: string): number | undefined {
  return LIMITS[kind].get(field);
}

/**
 * The key DisplayName uniqueness is checked on: trimmed, inner whitespace collapsed, case folded.
 * (Whether QBO folds case is unverified; the sandbox does, which is the stricter choice for a
 * connector: it can never create two names a person would read as the same.)
 */
export function nameKey(displayName: string): string {
  return displayName.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** DisplayName generated from Title, GivenName, MiddleName, FamilyName and Suffix, or undefined. */
export function generateDisplayName(fields: JsonObject): string | undefined {
  const parts = NAME_PARTS.map((part) => fields[part]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.length === 0 ? undefined : parts.map((p) => p.trim()).join(' ');
}

/** Whether any person-name part is present (DisplayName can then be generated). */
export function hasNamePart(fields: JsonObject): boolean {
  return generateDisplayName(fields) !== undefined;
}

/** A 2040 fault when a name field holds a colon, tab or newline, else undefined. */
export function checkNameCharacters(fields: JsonObject): QboFault | undefined {
  for (const field of SEPARATOR_FREE_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && /[:\t\n\r]/.test(value)) return QboFaults.invalidString(field, value);
  }
  return undefined;
}

/** First fault in the name-list rules (characters, then lengths, then e-mail shape), or undefined. */
export function checkNameFields(kind: NameKind, fields: JsonObject): QboFault | undefined {
  const characters = checkNameCharacters(fields);
  if (characters) return characters;
  const limits = LIMITS[kind];
  for (const [path, value] of stringLeaves(fields)) {
    const max = limits.get(path);
    if (max !== undefined && value.length > max) return QboFaults.stringLength(path, max, value.length);
  }
  const email = fields.PrimaryEmailAddr;
  if (isJsonObject(email) && typeof email.Address === 'string' && email.Address !== '') {
    const address = email.Address;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
      return QboFaults.businessValidation(
        `Invalid Email Address format: ${address}. An e-mail address needs one @ and a dot in its domain, e.g. name@example.com.`,
        'PrimaryEmailAddr.Address',
      );
    }
  }
  return undefined;
}

/** `[path, value]` for every string at the top level and one level down (e.g. `BillAddr.City`). */
function stringLeaves(fields: JsonObject): [string, string][] {
  const leaves: [string, string][] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') leaves.push([key, value]);
    else if (isJsonObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (typeof innerValue === 'string') leaves.push([`${key}.${inner}`, innerValue]);
      }
    }
  }
  return leaves;
}

/** Trims the name fields the way QBO stores them (leading and trailing blanks dropped). */
export function trimNameFields(fields: JsonObject): JsonObject {
  const trimmed: JsonObject = { ...fields };
  for (const field of [...SEPARATOR_FREE_FIELDS, 'CompanyName']) {
    const value: Json | undefined = trimmed[field];
    if (typeof value === 'string') trimmed[field] = value.trim();
  }
  return trimmed;
}
