import { defineConnector } from '@ledgerlink/connector-sdk';
import { xeroAuth } from './auth.js';
import { XeroConfigSchema, type XeroConfig } from './config.js';
import { contactFields, creditNoteFields, invoiceFields, paymentFields } from './fields.js';
import { BATCH_SIZE, createSession } from './session.js';

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Xero">' +
  '<circle cx="32" cy="32" r="32" fill="#13B5EA"/>' +
  '<path stroke="#fff" stroke-width="5" stroke-linecap="round" d="M20 20l24 24M44 20L20 44"/>' +
  '</svg>';

export default defineConnector<XeroConfig>({
  id: 'xero',
  displayName: 'Xero',
  description: 'Customers and suppliers (Xero contacts) of a Xero organisation: search, read, incremental list, idempotent create/update; invoices, bills, credit notes and payments.',
  category: 'accounting',
  host: '^0.1.0',
  logo: LOGO,
  capabilities: {
    // One Contact entity in Xero; IsCustomer/IsSupplier tell which role it plays.
    contactKinds: ['customer', 'supplier'],
    transactionTypes: ['invoice', 'bill', 'credit_note', 'payment'],
    search: true,
    read: true,
    write: true,
    // Xero's webhooks announce a merge as an UPDATE of the merged-away contact; the host re-reads it
    // and learns the survivor (MergedToContactID) from the read.
    inboundWebhooks: true,
    changeFeed: false,
    bidirectional: false,
    // Xero archives instead of deleting, and a merge archives the loser with MergedToContactID (reference §2.5, §2.6).
    remoteStatuses: ['archived', 'merged'],
    // A name is unique among active contacts (reference §2.3).
    uniqueDisplayNames: true,
  },
  config: XeroConfigSchema,
  auth: xeroAuth,
  fields: { customer: contactFields, supplier: contactFields, invoice: invoiceFields, bill: invoiceFields, credit_note: creditNoteFields, payment: paymentFields },
  // Per organisation: 60 calls a minute, 5 at once, 5000 a day (reference §5).
  limits: {
    requestsPerWindow: 60,
    windowSeconds: 60,
    concurrency: 5,
    batchSize: BATCH_SIZE,
    dailyCap: 5000,
    limitHeaders: { remaining: 'x-minlimit-remaining', dailyRemaining: 'x-daylimit-remaining', retryAfter: 'retry-after', resetUnit: 'seconds' },
  },
  connect: (ctx) => createSession(ctx),
});

export type { XeroConfig, XeroConfigInput } from './config.js';
export { envVarFor, parseXeroConfig, XeroConfigSchema } from './config.js';
export { CLASSIC_SCOPES, SCOPES, scopesFor } from './auth.js';
export { markerFor } from './transactions.js';
export { xeroWebhookSignature } from './webhooks.js';
