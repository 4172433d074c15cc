import { defineConnector } from '@ledgerlink/connector-sdk';
import { qboAuth } from './auth.js';
import { QboConfigSchema, type QboConfig } from './config.js';
import { customerFields, supplierFields, transactionFields } from './fields.js';
import { QBO_TRANSACTION_TYPES } from './mappers/transactions.js';
import { createSession } from './session.js';

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="QuickBooks Online">' +
  '<circle cx="32" cy="32" r="32" fill="#2CA01C"/>' +
  '<path fill="#fff" d="M20 18h4v28h-4a14 14 0 0 1 0-28zm0 6a8 8 0 0 0 0 16zM44 46h-4V18h4a14 14 0 0 1 0 28zm0-6a8 8 0 0 0 0-16z"/>' +
  '</svg>';

export default defineConnector<QboConfig>({
  id: 'quickbooks-online',
  displayName: 'QuickBooks Online',
  description: 'Customers and vendors of a QuickBooks Online company (search, read, incremental list, idempotent create/update), transactions pushed in batches, and signed webhooks.',
  category: 'accounting',
  host: '^0.1.0',
  logo: LOGO,
  capabilities: {
    contactKinds: ['customer', 'supplier'],
    transactionTypes: QBO_TRANSACTION_TYPES,
    search: true,
    read: true,
    write: true,
    inboundWebhooks: true,
    changeFeed: false,
    bidirectional: false,
    // QBO "deletes" names by making them inactive, and merges names (reference §12).
    remoteStatuses: ['inactive', 'merged'],
    // Names are unique across customers, vendors and employees (fault 6240).
    uniqueDisplayNames: true,
  },
  config: QboConfigSchema,
  auth: qboAuth,
  fields: { customer: customerFields, supplier: supplierFields, ...transactionFields },
  // Intuit: 500 requests per minute per realm, at most 10 concurrent, batches of 30 (reference §5, §6).
  limits: { requestsPerWindow: 500, windowSeconds: 60, concurrency: 10, batchSize: 30, batchRequestsPerWindow: 40 },
  connect: (ctx) => createSession(ctx),
});

export type { QboConfig, QboConfigInput } from './config.js';
export { envVarFor, parseQboConfig } from './config.js';
