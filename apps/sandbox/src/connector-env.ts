import { SANDBOX_XERO_CLIENT_ID as XERO_ID, SANDBOX_XERO_CLIENT_SECRET as XERO_SECRET, SANDBOX_XERO_WEBHOOK_KEY as XERO_WEBHOOK_KEY } from './xero/oauth.js';

/** Client id of the OAuth app the QuickBooks Online sandbox knows (Ledgerlink in development). */
export const SANDBOX_QBO_CLIENT_ID = 'ledgerlink-dev-client';
/** Its client secret. A development secret: it only opens the loopback sandbox. */
export const SANDBOX_QBO_CLIENT_SECRET = 'ledgerlink-dev-secret';

const PREFIX = 'LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_';

/** Env vars that point Ledgerlink's QuickBooks Online connector at this sandbox. */
export function sandboxConnectorEnv(sandboxUrl: string): Record<string, string> {
  const url = sandboxUrl.replace(/\/+$/, '');
  return {
    [`${PREFIX}CLIENT_ID`]: SANDBOX_QBO_CLIENT_ID,
    [`${PREFIX}CLIENT_SECRET`]: SANDBOX_QBO_CLIENT_SECRET,
    [`${PREFIX}ENVIRONMENT`]: 'sandbox',
    [`${PREFIX}AUTHORIZE_ENDPOINT`]: `${url}/qbo/connect/oauth2`,
    [`${PREFIX}TOKEN_ENDPOINT`]: `${url}/qbo/oauth2/v1/tokens/bearer`,
    [`${PREFIX}REVOKE_ENDPOINT`]: `${url}/qbo/v2/oauth2/tokens/revoke`,
    [`${PREFIX}USERINFO_ENDPOINT`]: `${url}/qbo/v1/openid_connect/userinfo`,
    [`${PREFIX}API_BASE_URL`]: `${url}/qbo`,
    [`${PREFIX}APP_BASE_URL`]: `${url}/qbo/app`,
  };
}

/** Client id of the HubSpot OAuth app the sandbox knows (Ledgerlink in development). */
export const SANDBOX_HUBSPOT_CLIENT_ID = 'ledgerlink-hubspot-dev-client';
/** Its client secret; also the key HubSpot webhooks are signed with (X-HubSpot-Signature-v3). */
export const SANDBOX_HUBSPOT_CLIENT_SECRET = 'ledgerlink-hubspot-dev-secret';
/** Portal id of the demo HubSpot account (fixed, so tokens survive a reset). */
export const SANDBOX_HUBSPOT_DEMO_PORTAL_ID = 48_100_001;
/** Private-app token of the demo portal. A development secret: it only opens the loopback sandbox. */
export const SANDBOX_HUBSPOT_DEMO_TOKEN = 'pat-na1-5a4d1e2c-0000-4000-8000-1ed9e71111ac';

const HUBSPOT_PREFIX = 'LEDGERLINK_CONNECTOR_HUBSPOT_';

/** Env vars that point Ledgerlink's HubSpot connector at this sandbox. */
export function sandboxHubspotConnectorEnv(sandboxUrl: string): Record<string, string> {
  const url = sandboxUrl.replace(/\/+$/, '');
  return {
    [`${HUBSPOT_PREFIX}CLIENT_ID`]: SANDBOX_HUBSPOT_CLIENT_ID,
    [`${HUBSPOT_PREFIX}CLIENT_SECRET`]: SANDBOX_HUBSPOT_CLIENT_SECRET,
    [`${HUBSPOT_PREFIX}AUTHORIZE_URL`]: `${url}/hubspot/oauth/authorize`,
    [`${HUBSPOT_PREFIX}TOKEN_URL`]: `${url}/hubspot/oauth/v1/token`,
    [`${HUBSPOT_PREFIX}API_BASE_URL`]: `${url}/hubspot`,
    [`${HUBSPOT_PREFIX}APP_BASE_URL`]: `${url}/hubspot/app`,
    [`${HUBSPOT_PREFIX}WEBHOOK_SECRET`]: SANDBOX_HUBSPOT_CLIENT_SECRET,
    [`${HUBSPOT_PREFIX}PRIVATE_APP_TOKEN`]: SANDBOX_HUBSPOT_DEMO_TOKEN,
  };
}

export { SANDBOX_XERO_CLIENT_ID, SANDBOX_XERO_CLIENT_SECRET, SANDBOX_XERO_WEBHOOK_KEY } from './xero/oauth.js';

const XERO_PREFIX = 'LEDGERLINK_CONNECTOR_XERO_';

/** Env vars that point Ledgerlink's Xero connector at this sandbox. */
export function sandboxXeroConnectorEnv(sandboxUrl: string): Record<string, string> {
  const url = sandboxUrl.replace(/\/+$/, '');
  return {
    [`${XERO_PREFIX}CLIENT_ID`]: XERO_ID,
    [`${XERO_PREFIX}CLIENT_SECRET`]: XERO_SECRET,
    [`${XERO_PREFIX}ISSUER_URL`]: `${url}/xero/identity`,
    [`${XERO_PREFIX}API_BASE_URL`]: `${url}/xero/api.xro/2.0`,
    [`${XERO_PREFIX}CONNECTIONS_URL`]: `${url}/xero/connections`,
    [`${XERO_PREFIX}APP_BASE_URL`]: `${url}/xero/app`,
    [`${XERO_PREFIX}WEBHOOK_KEY`]: XERO_WEBHOOK_KEY,
  };
}
