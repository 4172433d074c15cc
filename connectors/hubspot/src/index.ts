import { defineConnector } from '@ledgerlink/connector-sdk';
import { hubspotAuth } from './auth.js';
import { BATCH_SIZE } from './client.js';
import { HubspotConfigSchema, type HubspotConfig } from './config.js';
import { contactFields, transactionFields } from './fields.js';
import { createSession } from './session.js';

const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="HubSpot">' +
  '<circle cx="32" cy="32" r="32" fill="#FF7A59"/>' +
  '<circle cx="38" cy="36" r="9" fill="none" stroke="#fff" stroke-width="5"/>' +
  '<path stroke="#fff" stroke-width="5" stroke-linecap="round" d="M38 27V16M31 42l-12 8M20 20l12 10"/>' +
  '</svg>';

export default defineConnector<HubspotConfig>({
  id: 'hubspot',
  displayName: 'HubSpot',
  description: 'Contacts of a HubSpot account kept in step both ways, with the accounting documents of each customer on its timeline as notes.',
  category: 'crm',
  host: '^0.1.0',
  logo: LOGO,
  capabilities: {
    // A customer is a HubSpot contact; its companyName is associated as a HubSpot company.
    contactKinds: ['customer'],
    // Written as notes on the contact (decision 0006).
    transactionTypes: ['invoice', 'payment', 'credit_note', 'sales_receipt', 'estimate'],
    search: true,
    read: true,
    write: true,
    inboundWebhooks: true,
    // contacts.list by lastmodifieddate with a checkpoint.
    changeFeed: true,
    bidirectional: true,
    // Deleting moves a contact to the recycling bin (archived); a merged-away id reads as its survivor.
    remoteStatuses: ['archived', 'merged'],
    // HubSpot allows any number of contacts with the same name (e-mails are unique: a 409 is `duplicate`).
    uniqueDisplayNames: false,
  },
  config: HubspotConfigSchema,
  auth: hubspotAuth,
  fields: { customer: contactFields, ...transactionFields },
  // 100 requests per rolling 10 s per account (private apps; OAuth apps get 110), batches of 100.
  limits: {
    requestsPerWindow: 100,
    windowSeconds: 10,
    concurrency: 10,
    batchSize: BATCH_SIZE,
    limitHeaders: { remaining: 'x-hubspot-ratelimit-remaining', limit: 'x-hubspot-ratelimit-max', dailyRemaining: 'x-hubspot-ratelimit-daily-remaining', retryAfter: 'retry-after' },
  },
  connect: (ctx) => createSession(ctx),
});

export type { HubspotConfig, HubspotConfigInput } from './config.js';
export { envVarFor, HubspotConfigSchema, parseHubspotConfig } from './config.js';
export { SCOPES } from './auth.js';
export { signatureV3 } from './webhooks.js';
export { MARKER, noteIdentity } from './transaction-note.js';
