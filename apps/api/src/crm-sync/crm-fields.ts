import type { Contact } from '@ledgerlink/connector-sdk';
import { type ConflictPolicy, type FieldOwner, type SyncFieldDirection, type SyncValues, readCanonicalField, writeCanonicalField } from '@ledgerlink/core';

/**
 * The canonical fields kept in step when a connection has no field mapping for contacts: names,
 * e-mail, phones and the billing address, both ways. (The display name and company are left out:
 * a CRM derives them from the person's name and the associated company.)
 */
export const DEFAULT_SYNC_FIELDS = [
  'givenName',
  'familyName',
  'emails[primary]',
  'phones[primary]',
  'phones[mobile]',
  'addresses[billing].lines[0]',
  'addresses[billing].city',
  'addresses[billing].region',
  'addresses[billing].postalCode',
  'addresses[billing].country',
] as const;

export function defaultDirections(): Record<string, SyncFieldDirection> {
  return Object.fromEntries(DEFAULT_SYNC_FIELDS.map((field) => [field, 'both' as const]));
}

const DIRECTIONS = new Set(['in', 'out', 'both']);

/**
 * Per-field directions from the newest stored FieldMapping rules (core's rule shape: source =
 * canonical path, direction in/out/both, enabled); null when there are no usable rules.
 */
export function directionsFromRules(rules: unknown): Record<string, SyncFieldDirection> | null {
  if (!Array.isArray(rules)) return null;
  const directions: Record<string, SyncFieldDirection> = {};
  for (const rule of rules as unknown[]) {
    if (typeof rule !== 'object' || rule === null) continue;
    const { source, direction, enabled } = rule as { source?: unknown; direction?: unknown; enabled?: unknown };
    if (typeof source !== 'string' || typeof direction !== 'string' || !DIRECTIONS.has(direction)) continue;
    const d = direction as 'in' | 'out' | 'both';
    if (enabled === false) {
      directions[source] ??= 'off';
      continue;
    }
    const before = directions[source];
    directions[source] = before === undefined || before === 'off' || before === d ? d : 'both';
  }
  return Object.keys(directions).length > 0 ? directions : null;
}

const OWNERS = new Set(['accounting', 'crm', 'hub']);

/**
 * The conflict policy in Connection.settings.conflictPolicy (`{owners: {field: "crm"|"accounting"|"hub"},
 * tieBreaker: "ours"|"theirs"}`), merged over every linked connection; without one, the last
 * writer against the base wins and ties keep the hub's value.
 */
export function policyFromSettings(settings: readonly unknown[]): ConflictPolicy {
  const owners: Record<string, FieldOwner> = {};
  let tieBreaker: 'ours' | 'theirs' | undefined;
  for (const s of settings) {
    const policy = typeof s === 'object' && s !== null ? (s as { conflictPolicy?: unknown }).conflictPolicy : undefined;
    if (typeof policy !== 'object' || policy === null) continue;
    const p = policy as { owners?: unknown; tieBreaker?: unknown };
    if (typeof p.owners === 'object' && p.owners !== null) {
      for (const [field, owner] of Object.entries(p.owners)) if (typeof owner === 'string' && OWNERS.has(owner)) owners[field] = owner as FieldOwner;
    }
    if (p.tieBreaker === 'ours' || p.tieBreaker === 'theirs') tieBreaker = p.tieBreaker;
  }
  return { owners, ...(tieBreaker ? { tieBreaker } : {}) };
}

/** The contact's values of these canonical fields ('' and absent read as null). */
export function readValues(contact: Contact, fields: Iterable<string>): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const field of fields) {
    const value = readCanonicalField(contact, field);
    values[field] = value === undefined || value === '' ? null : value;
  }
  return values;
}

export function applyValues(contact: Contact, values: SyncValues): Contact {
  let next = contact;
  for (const [field, value] of Object.entries(values)) next = writeCanonicalField(next, field, value === '' ? null : value);
  return next;
}

/** A stored JSON object of canonical path → string|null, or null when it is not one. */
export function readBase(json: unknown): Record<string, string | null> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const base: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(json)) if (typeof value === 'string' || value === null) base[field] = value;
  return base;
}

export const takesIn = (d: SyncFieldDirection | undefined): boolean => d === 'in' || d === 'both';
export const takesOut = (d: SyncFieldDirection | undefined): boolean => d === 'out' || d === 'both';
