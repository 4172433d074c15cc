import type { Contact } from '@ledgerlink/connector-sdk';

const SCALARS = [
  'displayName', 'title', 'givenName', 'middleName', 'familyName', 'suffix', 'companyName',
  'website', 'taxNumber', 'paymentTerms', 'currency', 'notes', 'kind',
] as const;
type ScalarField = (typeof SCALARS)[number];
const SCALAR_SET: ReadonlySet<string> = new Set(SCALARS);

const EMAIL_TYPES = new Set(['primary', 'work', 'personal', 'other']);
const PHONE_TYPES = new Set(['primary', 'mobile', 'fax', 'work', 'other']);
const ADDRESS_TYPES = new Set(['billing', 'shipping']);
const ADDRESS_PARTS = new Set(['city', 'region', 'postalCode', 'country']);

export type CanonicalPath =
  | { readonly kind: 'scalar'; readonly field: ScalarField }
  | { readonly kind: 'email' | 'phone'; readonly type: string }
  | { readonly kind: 'address_line'; readonly type: 'billing' | 'shipping'; readonly index: number }
  | { readonly kind: 'address_part'; readonly type: 'billing' | 'shipping'; readonly part: 'city' | 'region' | 'postalCode' | 'country' }
  | { readonly kind: 'custom'; readonly key: string };

/** Parses a canonical Contact path ("phones[mobile]", "addresses[billing].lines[0]"); null when it names nothing. */
export function parseCanonicalPath(path: string): CanonicalPath | null {
  if (SCALAR_SET.has(path)) return { kind: 'scalar', field: path as ScalarField };
  const list = /^(emails|phones)\[(\w+)\]$/.exec(path);
  if (list) {
    const type = list[2] ?? '';
    if (list[1] === 'emails') return EMAIL_TYPES.has(type) ? { kind: 'email', type } : null;
    return PHONE_TYPES.has(type) ? { kind: 'phone', type } : null;
  }
  const line = /^addresses\[(\w+)\]\.lines\[(\d)\]$/.exec(path);
  if (line) {
    const type = line[1] ?? '';
    const index = Number(line[2]);
    return ADDRESS_TYPES.has(type) && index < 5 ? { kind: 'address_line', type: type as 'billing' | 'shipping', index } : null;
  }
  const part = /^addresses\[(\w+)\]\.(\w+)$/.exec(path);
  if (part) {
    const type = part[1] ?? '';
    const name = part[2] ?? '';
    return ADDRESS_TYPES.has(type) && ADDRESS_PARTS.has(name)
      ? { kind: 'address_part', type: type as 'billing' | 'shipping', part: name as 'city' | 'region' | 'postalCode' | 'country' }
      : null;
  }
  const custom = /^customFields\.(.+)$/.exec(path);
  if (custom?.[1]) return { kind: 'custom', key: custom[1] };
  return null;
}

/**
 * The value of a canonical path on a contact, or undefined when the contact has none.
 * "phones[primary]" falls back to the first phone when no phone is typed primary (same for emails),
 * because hosts often send one untyped number.
 */
export function readCanonicalField(contact: Contact, path: string): string | undefined {
  const parsed = parseCanonicalPath(path);
  if (!parsed) return undefined;
  switch (parsed.kind) {
    case 'scalar':
      return contact[parsed.field];
    case 'email': {
      const found = contact.emails.find((e) => e.type === parsed.type) ?? (parsed.type === 'primary' ? contact.emails[0] : undefined);
      return found?.address;
    }
    case 'phone': {
      const found = contact.phones.find((p) => p.type === parsed.type) ?? (parsed.type === 'primary' ? contact.phones[0] : undefined);
      return found?.number;
    }
    case 'address_line':
      return contact.addresses.find((a) => a.type === parsed.type)?.lines[parsed.index];
    case 'address_part':
      return contact.addresses.find((a) => a.type === parsed.type)?.[parsed.part];
    case 'custom':
      return contact.customFields[parsed.key];
  }
}
