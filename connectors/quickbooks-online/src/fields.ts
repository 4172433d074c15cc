import type { ContactKind, FieldSpec } from '@ledgerlink/connector-sdk';

/**
 * Remote field catalog of QBO Customer and Vendor, with limits from Intuit's API reference
 * (reference §2.1, §2.2). `canonical` names the Contact field each one maps to; the same names
 * are used as `field` of validation errors.
 */

const address = (prefix: 'BillAddr' | 'ShipAddr', label: string, type: 'billing' | 'shipping'): FieldSpec[] => [
  ...[1, 2, 3, 4, 5].map(
    (n): FieldSpec => ({ id: `${prefix}.Line${n}`, label: `${label} line ${n}`, type: 'string', maxLength: 500, canonical: `addresses[${type}].lines[${n - 1}]` }),
  ),
  { id: `${prefix}.City`, label: `${label} city`, type: 'string', maxLength: 255, canonical: `addresses[${type}].city` },
  { id: `${prefix}.CountrySubDivisionCode`, label: `${label} state/region`, type: 'string', maxLength: 255, canonical: `addresses[${type}].region` },
  { id: `${prefix}.PostalCode`, label: `${label} postal code`, type: 'string', maxLength: 30, canonical: `addresses[${type}].postalCode` },
  { id: `${prefix}.Country`, label: `${label} country`, type: 'string', maxLength: 255, canonical: `addresses[${type}].country` },
];

const common: FieldSpec[] = [
  { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 500, required: true, canonical: 'displayName' },
  { id: 'Title', label: 'Title', type: 'string', maxLength: 16, canonical: 'title' },
  { id: 'GivenName', label: 'First name', type: 'string', maxLength: 100, canonical: 'givenName' },
  { id: 'MiddleName', label: 'Middle name', type: 'string', maxLength: 100, canonical: 'middleName' },
  { id: 'FamilyName', label: 'Last name', type: 'string', maxLength: 100, canonical: 'familyName' },
  { id: 'Suffix', label: 'Suffix', type: 'string', maxLength: 16, canonical: 'suffix' },
  { id: 'CompanyName', label: 'Company name', type: 'string', maxLength: 100, canonical: 'companyName' },
  { id: 'PrimaryEmailAddr.Address', label: 'Email', type: 'email', maxLength: 100, canonical: 'emails[primary]' },
  { id: 'PrimaryPhone.FreeFormNumber', label: 'Phone', type: 'phone', maxLength: 30, canonical: 'phones[primary]' },
  { id: 'Mobile.FreeFormNumber', label: 'Mobile', type: 'phone', maxLength: 30, canonical: 'phones[mobile]' },
  { id: 'Fax.FreeFormNumber', label: 'Fax', type: 'phone', maxLength: 30, canonical: 'phones[fax]' },
  { id: 'AlternatePhone.FreeFormNumber', label: 'Other phone', type: 'phone', maxLength: 30, canonical: 'phones[other]' },
  { id: 'WebAddr.URI', label: 'Website', type: 'string', maxLength: 1000, canonical: 'website' },
  ...address('BillAddr', 'Billing address', 'billing'),
];

export const customerFields: FieldSpec[] = [
  ...common,
  ...address('ShipAddr', 'Shipping address', 'shipping'),
  { id: 'Notes', label: 'Notes', type: 'string', maxLength: 2000, canonical: 'notes' },
  { id: 'CurrencyRef', label: 'Currency', type: 'reference', canonical: 'currency' },
  { id: 'SalesTermRef', label: 'Payment terms', type: 'reference', canonical: 'paymentTerms' },
  { id: 'PrimaryTaxIdentifier', label: 'Tax number', type: 'string', canonical: 'taxNumber' },
];

export const supplierFields: FieldSpec[] = [
  ...common,
  { id: 'Notes', label: 'Notes', type: 'string', maxLength: 2000, canonical: 'notes' },
  { id: 'CurrencyRef', label: 'Currency', type: 'reference', canonical: 'currency' },
  { id: 'TermRef', label: 'Payment terms', type: 'reference', canonical: 'paymentTerms' },
  // Masked in responses (only the last 4 characters are shown).
  { id: 'TaxIdentifier', label: 'Tax number', type: 'string', maxLength: 20, canonical: 'taxNumber' },
];

/** Fields every QBO transaction document has (sales forms, bills and payments). */
const transactionCommon = (party: 'CustomerRef' | 'VendorRef'): FieldSpec[] => [
  { id: party, label: party === 'VendorRef' ? 'Vendor' : 'Customer', type: 'reference', required: true, canonical: 'contactId' },
  { id: 'TxnDate', label: 'Date', type: 'date', canonical: 'issueDate' },
  { id: 'CurrencyRef', label: 'Currency', type: 'reference', canonical: 'currency' },
  { id: 'TotalAmt', label: 'Total', type: 'money', writable: false, canonical: 'total' },
  { id: 'PrivateNote', label: 'Memo (internal)', type: 'string', maxLength: 4000, canonical: 'memo' },
];

const documentLines = (detail: string): FieldSpec[] => [
  { id: 'DocNumber', label: 'Number', type: 'string', maxLength: 21, canonical: 'number' },
  { id: 'Line.Description', label: 'Line description', type: 'string', maxLength: 4000, canonical: 'lines.description' },
  { id: 'Line.Amount', label: 'Line amount', type: 'money', canonical: 'lines.amount' },
  { id: `Line.${detail}.Qty`, label: 'Line quantity', type: 'number', canonical: 'lines.quantity' },
  { id: `Line.${detail}.UnitPrice`, label: 'Line unit price', type: 'money', canonical: 'lines.unitAmount' },
  { id: `Line.${detail}.ItemRef`, label: 'Product/service', type: 'reference', canonical: 'lines.itemCode' },
  { id: `Line.${detail}.TaxCodeRef`, label: 'Tax code', type: 'reference', canonical: 'lines.taxCode' },
];

const salesForm: FieldSpec[] = [...transactionCommon('CustomerRef'), ...documentLines('SalesItemLineDetail')];

export const transactionFields = {
  invoice: [
    ...salesForm,
    { id: 'DueDate', label: 'Due date', type: 'date', canonical: 'dueDate' },
    { id: 'SalesTermRef', label: 'Terms', type: 'reference', canonical: 'paymentTerms' },
    { id: 'Balance', label: 'Balance', type: 'money', writable: false, canonical: 'amountDue' },
  ],
  credit_note: salesForm,
  sales_receipt: salesForm,
  estimate: [
    ...salesForm,
    { id: 'ExpirationDate', label: 'Expiration date', type: 'date', canonical: 'dueDate' },
    { id: 'SalesTermRef', label: 'Terms', type: 'reference', canonical: 'paymentTerms' },
  ],
  bill: [
    ...transactionCommon('VendorRef'),
    ...documentLines('ItemBasedExpenseLineDetail'),
    { id: 'Line.AccountBasedExpenseLineDetail.AccountRef', label: 'Expense account', type: 'reference', canonical: 'lines.accountCode' },
    { id: 'DueDate', label: 'Due date', type: 'date', canonical: 'dueDate' },
    { id: 'TermRef', label: 'Terms', type: 'reference', canonical: 'paymentTerms' },
    { id: 'Balance', label: 'Balance', type: 'money', writable: false, canonical: 'amountDue' },
  ],
  payment: [
    ...transactionCommon('CustomerRef'),
    { id: 'PaymentRefNum', label: 'Reference number', type: 'string', maxLength: 21, canonical: 'number' },
  ],
} satisfies Record<string, FieldSpec[]>;

export function fieldsFor(kind: ContactKind): readonly FieldSpec[] {
  return kind === 'customer' ? customerFields : supplierFields;
}

/**
 * The canonical Contact field behind a QBO field path or element name ("BillAddr.City",
 * "PrimaryEmailAddr", "Customer.DisplayName"); undefined when QBO named nothing we send.
 */
export function canonicalFieldOf(qboField: string, kind: ContactKind): string | undefined {
  const path = qboField.trim().replace(/^(Customer|Vendor)\./, '');
  if (path === '') return undefined;
  const fields = fieldsFor(kind);
  const exact = fields.find((f) => f.id.toLowerCase() === path.toLowerCase());
  if (exact?.canonical) return exact.canonical;
  // A whole object ("PrimaryEmailAddr", "BillAddr"): the first field under it, minus the leaf.
  const under = fields.find((f) => f.id.toLowerCase().startsWith(`${path.toLowerCase()}.`));
  if (under?.canonical) {
    const address = /^(addresses\[\w+\])/.exec(under.canonical);
    return address?.[1] ?? under.canonical;
  }
  return undefined;
}
