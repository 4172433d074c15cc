import { escapeHtml } from '../html.js';
import { type Json, isJsonObject } from '../json.js';

/** Plural collection names and the element name Xero's XML uses for each item. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  Addresses: 'Address',
  Allocations: 'Allocation',
  ContactGroups: 'ContactGroup',
  ContactPersons: 'ContactPerson',
  Contacts: 'Contact',
  CreditNotes: 'CreditNote',
  Elements: 'DataContractBase',
  ExternalLinks: 'ExternalLink',
  Invoices: 'Invoice',
  LineItems: 'LineItem',
  Organisations: 'Organisation',
  Overpayments: 'Overpayment',
  Payments: 'Payment',
  Phones: 'Phone',
  Prepayments: 'Prepayment',
  PurchasesTrackingCategories: 'TrackingCategory',
  SalesTrackingCategories: 'TrackingCategory',
  Tracking: 'TrackingCategory',
  ValidationErrors: 'ValidationError',
  Warnings: 'Warning',
};

/** `/Date(1503348544227+0000)/` → `2017-08-21T20:49:04.227` (XML carries ISO dates). */
function xmlText(value: string): string {
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  return escapeHtml(ms === null ? value : new Date(Number(ms[1])).toISOString().replace(/Z$/, ''));
}

function element(name: string, value: Json): string {
  if (value === null) return '';
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? name.replace(/s$/, '');
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (isJsonObject(value)) return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${typeof value === 'string' ? xmlText(value) : String(value)}</${name}>`;
}

/**
 * The XML Xero answers when the client does not ask for JSON: `<Response>` for successes,
 * `<ApiException>` for errors with an ErrorNumber.
 */
export function toXeroXml(body: Json): string {
  const root = isJsonObject(body) && typeof body.ErrorNumber === 'number' ? 'ApiException' : 'Response';
  const inner = isJsonObject(body) ? Object.entries(body).map(([k, v]) => element(k, v)).join('') : '';
  return `<${root} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${inner}</${root}>`;
}

/** Xero answers JSON only when `Accept` asks for it; otherwise XML (xero-api.md §1.2). */
export function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /json/i.test(accept);
}
