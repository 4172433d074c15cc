import type { FieldSpec } from '@ledgerlink/connector-sdk';

/**
 * Limits the connector enforces before it writes. HubSpot stores single-line text properties of up
 * to 65,536 characters; the connector declares the tighter limits below (what the accounting
 * systems it syncs with hold) so a value that reaches HubSpot also fits QuickBooks and Xero.
 */
export const MAX_LENGTH = {
  name: 255,
  email: 254,
  phone: 40,
  company: 255,
  website: 1000,
  jobtitle: 255,
  address: 500,
  city: 255,
  state: 255,
  zip: 30,
  country: 255,
} as const;

/** HubSpot contact properties (a customer is a HubSpot contact). */
export const contactFields: readonly FieldSpec[] = [
  { id: 'firstname', label: 'First name', type: 'string', maxLength: MAX_LENGTH.name, canonical: 'givenName' },
  { id: 'lastname', label: 'Last name (the whole display name when there is no first or last name)', type: 'string', maxLength: MAX_LENGTH.name, canonical: 'familyName' },
  { id: 'email', label: 'Email', type: 'email', maxLength: MAX_LENGTH.email, canonical: 'emails[primary]' },
  { id: 'phone', label: 'Phone number', type: 'phone', maxLength: MAX_LENGTH.phone, canonical: 'phones[primary]' },
  { id: 'mobilephone', label: 'Mobile phone number', type: 'phone', maxLength: MAX_LENGTH.phone, canonical: 'phones[mobile]' },
  { id: 'fax', label: 'Fax number', type: 'phone', maxLength: MAX_LENGTH.phone, canonical: 'phones[fax]' },
  { id: 'company', label: 'Company name (also associated as a HubSpot company)', type: 'string', maxLength: MAX_LENGTH.company, canonical: 'companyName' },
  { id: 'jobtitle', label: 'Job title', type: 'string', maxLength: MAX_LENGTH.jobtitle, canonical: 'customFields.jobtitle' },
  { id: 'website', label: 'Website URL', type: 'string', maxLength: MAX_LENGTH.website, canonical: 'website' },
  { id: 'address', label: 'Street address', type: 'string', maxLength: MAX_LENGTH.address, canonical: 'addresses[billing].lines[0]' },
  { id: 'city', label: 'City', type: 'string', maxLength: MAX_LENGTH.city, canonical: 'addresses[billing].city' },
  { id: 'state', label: 'State/Region', type: 'string', maxLength: MAX_LENGTH.state, canonical: 'addresses[billing].region' },
  { id: 'zip', label: 'Postal code', type: 'string', maxLength: MAX_LENGTH.zip, canonical: 'addresses[billing].postalCode' },
  { id: 'country', label: 'Country/Region', type: 'string', maxLength: MAX_LENGTH.country, canonical: 'addresses[billing].country' },
  { id: 'hs_object_id', label: 'Record ID', type: 'string', writable: false },
  { id: 'createdate', label: 'Create date', type: 'date', writable: false },
  { id: 'lastmodifieddate', label: 'Last modified date', type: 'date', writable: false },
];

/** What a transaction note carries (decision 0006): written as the note body, read back from its marker. */
const noteFields = (label: string): readonly FieldSpec[] => [
  { id: 'hs_note_body', label: `${label} note (number, amounts, status, link back)`, type: 'string', maxLength: 65_536, writable: false },
  { id: 'hs_timestamp', label: 'Shown on the timeline at (issue date)', type: 'date', writable: false },
];

export const transactionFields = {
  invoice: noteFields('Invoice'),
  payment: noteFields('Payment'),
  credit_note: noteFields('Credit note'),
  sales_receipt: noteFields('Sales receipt'),
  estimate: noteFields('Estimate'),
} as const;
