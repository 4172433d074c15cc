import { Contact, type RemoteContact } from '@ledgerlink/connector-sdk';
import type { VendorContact } from '../vendor/contact.schema.js';

/** A vendor contact → the canonical RemoteContact (pure). */
export function fromVendorContact(record: VendorContact): RemoteContact {
  const contact = Contact.parse({
    kind: record.kind,
    displayName: record.name,
    emails: record.email ? [{ address: record.email }] : [],
    phones: record.phone ? [{ number: record.phone }] : [],
  });
  return {
    id: record.id,
    version: String(record.version),
    status: record.status,
    ...(record.mergedInto ? { mergedIntoId: record.mergedInto } : {}),
    updatedAt: record.updatedAt,
    contact,
  };
}
