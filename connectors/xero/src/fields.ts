import type { FieldSpec } from '@ledgerlink/connector-sdk';

/** Xero's Contact fields (reference §2.2). Customers and suppliers are the same Contact entity. */
export const contactFields: readonly FieldSpec[] = [
  { id: 'Name', label: 'Contact name', type: 'string', maxLength: 255, required: true, canonical: 'displayName' },
  { id: 'FirstName', label: 'First name', type: 'string', maxLength: 255, canonical: 'givenName' },
  { id: 'LastName', label: 'Last name', type: 'string', maxLength: 255, canonical: 'familyName' },
  { id: 'EmailAddress', label: 'Email', type: 'email', maxLength: 255, canonical: 'emails[primary]' },
  { id: 'Phones[DEFAULT]', label: 'Phone', type: 'phone', maxLength: 50, canonical: 'phones[primary]' },
  { id: 'Phones[MOBILE]', label: 'Mobile', type: 'phone', maxLength: 50, canonical: 'phones[mobile]' },
  { id: 'Phones[FAX]', label: 'Fax', type: 'phone', maxLength: 50, canonical: 'phones[fax]' },
  { id: 'Addresses[POBOX]', label: 'Postal address', type: 'address', canonical: 'addresses[billing]' },
  { id: 'Addresses[STREET]', label: 'Street address', type: 'address', canonical: 'addresses[shipping]' },
  { id: 'TaxNumber', label: 'Tax number', type: 'string', maxLength: 50, canonical: 'taxNumber' },
  { id: 'DefaultCurrency', label: 'Default currency', type: 'string', maxLength: 3, canonical: 'currency' },
  { id: 'Website', label: 'Website', type: 'string', writable: false, canonical: 'website' },
  { id: 'ContactNumber', label: 'Contact code', type: 'string', maxLength: 50 },
  { id: 'AccountNumber', label: 'Account number', type: 'string', maxLength: 50 },
  { id: 'CompanyNumber', label: 'Company number', type: 'string', maxLength: 50 },
  { id: 'BankAccountDetails', label: 'Bank account', type: 'string', secure: true },
  { id: 'ContactStatus', label: 'Status', type: 'enum', writable: false },
  { id: 'IsCustomer', label: 'Is customer', type: 'boolean', writable: false },
  { id: 'IsSupplier', label: 'Is supplier', type: 'boolean', writable: false },
];

/** The longest contact name Xero accepts. */
export const MAX_NAME_LENGTH = 255;
