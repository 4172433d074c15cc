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

/** Fields of Xero invoices and bills (reference §3.1); amounts are minor units in Ledgerlink. */
export const invoiceFields: readonly FieldSpec[] = [
  { id: 'InvoiceNumber', label: 'Number', type: 'string', maxLength: 255, canonical: 'number' },
  { id: 'Reference', label: 'Reference', type: 'string', maxLength: 255, canonical: 'reference' },
  { id: 'Date', label: 'Date', type: 'date', required: true, canonical: 'issueDate' },
  { id: 'DueDate', label: 'Due date', type: 'date', canonical: 'dueDate' },
  { id: 'CurrencyCode', label: 'Currency', type: 'string', maxLength: 3, canonical: 'currency' },
  { id: 'Total', label: 'Total', type: 'money', writable: false, canonical: 'total' },
  { id: 'AmountDue', label: 'Amount due', type: 'money', writable: false, canonical: 'amountDue' },
  { id: 'Status', label: 'Status', type: 'enum', canonical: 'status' },
];

export const creditNoteFields: readonly FieldSpec[] = [
  { id: 'CreditNoteNumber', label: 'Number', type: 'string', maxLength: 255, canonical: 'number' },
  { id: 'Reference', label: 'Reference', type: 'string', maxLength: 255, canonical: 'reference' },
  { id: 'Date', label: 'Date', type: 'date', required: true, canonical: 'issueDate' },
  { id: 'CurrencyCode', label: 'Currency', type: 'string', maxLength: 3, canonical: 'currency' },
  { id: 'Total', label: 'Total', type: 'money', writable: false, canonical: 'total' },
  { id: 'RemainingCredit', label: 'Remaining credit', type: 'money', writable: false, canonical: 'amountDue' },
  { id: 'Status', label: 'Status', type: 'enum', canonical: 'status' },
];

export const paymentFields: readonly FieldSpec[] = [
  { id: 'Invoice', label: 'Invoice paid', type: 'reference', required: true, canonical: 'customFields.invoiceId' },
  { id: 'Account', label: 'Bank account code', type: 'reference', required: true, canonical: 'customFields.accountCode' },
  { id: 'Date', label: 'Date', type: 'date', required: true, canonical: 'issueDate' },
  { id: 'Amount', label: 'Amount', type: 'money', required: true, canonical: 'total' },
  { id: 'Reference', label: 'Reference', type: 'string', maxLength: 255, canonical: 'reference' },
];
