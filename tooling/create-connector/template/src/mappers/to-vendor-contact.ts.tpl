import { ConnectorErrors, type Contact } from '@ledgerlink/connector-sdk';
import type { VendorContactWrite } from '../vendor/contact.schema.js';

/** Longest display name __DISPLAY_NAME__ accepts (also in the field catalog). */
export const MAX_NAME_LENGTH = 100;

/** The canonical Contact → what the API accepts (pure); refuses what the provider cannot hold. */
export function toVendorContact(contact: Contact): VendorContactWrite {
  const name = (contact.displayName ?? [contact.givenName, contact.familyName].filter(Boolean).join(' ')).trim();
  if (name === '') throw ConnectorErrors.validation('displayName', 'A display name (or a given or family name) is required');
  if (name.length > MAX_NAME_LENGTH) {
    throw ConnectorErrors.validation('displayName', `The display name has ${name.length} characters; __DISPLAY_NAME__ allows at most ${MAX_NAME_LENGTH}: shorten it`);
  }
  const email = contact.emails.find((e) => e.type === 'primary')?.address ?? contact.emails[0]?.address;
  const phone = contact.phones[0]?.number;
  return { kind: contact.kind, name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}
