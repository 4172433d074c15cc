import type { Address, Contact } from '@ledgerlink/connector-sdk';
import { parseCanonicalPath } from './read-canonical-field.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A copy of the contact with one canonical path set to `value` (null or '' clears it). The
 * counterpart of readCanonicalField for changes that flow in from a remote system. Throws on a
 * path that names nothing, and on "kind", which a remote change never rewrites.
 */
export function writeCanonicalField(contact: Contact, path: string, value: string | null): Contact {
  const parsed = parseCanonicalPath(path);
  if (!parsed) throw new RangeError(`"${path}" is not a contact field: use a canonical path such as displayName or phones[mobile]`);
  const clear = value === null || value === '';
  const next: Mutable<Contact> = { ...contact };
  switch (parsed.kind) {
    case 'scalar': {
      if (parsed.field === 'kind') throw new RangeError('kind cannot be changed by a field mapping: a customer stays a customer');
      if (clear) delete next[parsed.field];
      else next[parsed.field] = value;
      return next;
    }
    case 'email': {
      const at = contact.emails.findIndex((e) => e.type === parsed.type);
      const index = at === -1 && parsed.type === 'primary' && contact.emails.length > 0 ? 0 : at;
      const emails = [...contact.emails];
      if (clear) { if (index !== -1) emails.splice(index, 1); }
      else if (index === -1) emails.push({ address: value, type: parsed.type as Contact['emails'][number]['type'] });
      else emails[index] = { ...(emails[index] as Contact['emails'][number]), address: value };
      next.emails = emails;
      return next;
    }
    case 'phone': {
      const at = contact.phones.findIndex((p) => p.type === parsed.type);
      const index = at === -1 && parsed.type === 'primary' && contact.phones.length > 0 ? 0 : at;
      const phones = [...contact.phones];
      if (clear) { if (index !== -1) phones.splice(index, 1); }
      else if (index === -1) phones.push({ number: value, type: parsed.type as Contact['phones'][number]['type'] });
      else phones[index] = { ...(phones[index] as Contact['phones'][number]), number: value };
      next.phones = phones;
      return next;
    }
    case 'address_line':
    case 'address_part': {
      const addresses = [...contact.addresses];
      const index = addresses.findIndex((a) => a.type === parsed.type);
      if (index === -1 && clear) return next;
      const address: Mutable<Address> = index === -1 ? { type: parsed.type, lines: [] } : { ...(addresses[index] as Address), lines: [...(addresses[index] as Address).lines] };
      if (parsed.kind === 'address_line') {
        const lines = [...address.lines];
        while (lines.length < parsed.index) lines.push('');
        lines[parsed.index] = clear ? '' : value;
        while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
        address.lines = lines;
      } else if (clear) {
        delete address[parsed.part];
      } else {
        address[parsed.part] = value;
      }
      if (index === -1) addresses.push(address);
      else addresses[index] = address;
      next.addresses = addresses;
      return next;
    }
    case 'custom': {
      const customFields = { ...contact.customFields };
      if (clear) delete customFields[parsed.key];
      else customFields[parsed.key] = value;
      next.customFields = customFields;
      return next;
    }
  }
}
