import { Contact, type ContactInput } from '@ledgerlink/connector-sdk';
import type { UpsertContactRequest } from '@ledgerlink/contract';
import { sha256Hex, stableStringify } from '../common/hashing.js';

/** The host's request body as the canonical Contact every connector understands. */
export function toCanonicalContact(body: UpsertContactRequest): Contact {
  const input: ContactInput = {
    kind: body.kind,
    displayName: body.displayName,
    emails: body.email ? [{ address: body.email, type: 'primary' }] : [],
    phones: body.phone ? [{ number: body.phone, type: 'primary' }] : [],
  };
  if (body.givenName) input.givenName = body.givenName;
  if (body.familyName) input.familyName = body.familyName;
  if (body.companyName) input.companyName = body.companyName;
  if (body.notes) input.notes = body.notes;
  return Contact.parse(input);
}

/** Equal content → equal hash, whatever the key order. */
export function contentHash(contact: Contact): string {
  return sha256Hex(stableStringify(contact));
}
