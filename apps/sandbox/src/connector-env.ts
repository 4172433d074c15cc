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
