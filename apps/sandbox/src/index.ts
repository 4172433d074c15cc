export { type RunningSandbox, type SandboxOptions, startSandbox } from './sandbox.js';
export { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, sandboxConnectorEnv } from './connector-env.js';
export {
  SANDBOX_HUBSPOT_CLIENT_ID,
  SANDBOX_HUBSPOT_CLIENT_SECRET,
  SANDBOX_HUBSPOT_DEMO_PORTAL_ID,
  SANDBOX_HUBSPOT_DEMO_TOKEN,
  sandboxHubspotConnectorEnv,
} from './connector-env.js';
export { hubspotSignatureV3 } from './hubspot/webhooks.js';
export { SANDBOX_HUBSPOT_DEVELOPER_API_KEY } from './hubspot/oauth.js';
export {
  SANDBOX_XERO_CLIENT_ID,
  SANDBOX_XERO_CLIENT_SECRET,
  SANDBOX_XERO_WEBHOOK_KEY,
  sandboxXeroConnectorEnv,
} from './connector-env.js';
export { xeroSignature } from './xero/webhooks.js';
export { DEMO_TENANTS as SANDBOX_XERO_DEMO_TENANTS } from './xero/seed.js';
export { approveConsent } from './approve-consent.js';
export { intuitSignature, webhookBody as qboWebhookBody, type WebhookFormat as QboWebhookFormat } from './qbo/webhooks.js';
export type { ChangeEvent as QboChangeEvent } from './qbo/store.js';
