import { ConnectorErrors, defineConnector, type Credentials, type FieldSpec } from '@ledgerlink/connector-sdk';
import { ConfigSchema, type Config } from './config.js';
import { MAX_NAME_LENGTH } from './mappers/to-vendor-contact.js';
import { createSession } from './session.js';
import { VendorTenants, VendorToken } from './vendor/contact.schema.js';

const contactFields: FieldSpec[] = [
  { id: 'name', label: 'Name', type: 'string', maxLength: MAX_NAME_LENGTH, required: true, canonical: 'displayName' },
  { id: 'email', label: 'Email', type: 'email', maxLength: 254, canonical: 'emails[primary]' },
  { id: 'phone', label: 'Phone', type: 'phone', maxLength: 40, canonical: 'phones[primary]' },
];

/** Exchanges an authorization code or a refresh token at the provider's token endpoint. */
async function token(config: Config, form: Record<string, string>): Promise<{ credentials: Credentials; tenantId: string }> {
  let response: Response;
  try {
    response = await fetch(`${config.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw ConnectorErrors.transient(`__DISPLAY_NAME__'s token endpoint could not be reached: ${String(error)}`);
  }
  if (response.status === 401) throw ConnectorErrors.validation('clientId', '__DISPLAY_NAME__ refused the client id or secret; check __ENV_PREFIX__CLIENT_ID and _CLIENT_SECRET');
  if (response.status >= 500) throw ConnectorErrors.transient(`__DISPLAY_NAME__'s token endpoint answered ${response.status}; try again`);
  if (!response.ok) throw ConnectorErrors.authRevoked(`__DISPLAY_NAME__ refused the grant (HTTP ${response.status}); connect again`);
  const parsed = VendorToken.safeParse(await response.json());
  if (!parsed.success) throw ConnectorErrors.transient('__DISPLAY_NAME__ answered the token request without a token; try again');
  const { access_token, refresh_token, expires_in, tenant_id } = parsed.data;
  return {
    credentials: { accessToken: access_token, refreshToken: refresh_token, expiresAt: new Date(Date.now() + expires_in * 1000).toISOString(), extra: { tenantId: tenant_id } },
    tenantId: tenant_id,
  };
}

export default defineConnector<Config>({
  id: '__CONNECTOR_ID__',
  displayName: '__DISPLAY_NAME__',
  description: 'Customers, suppliers and invoices of __DISPLAY_NAME__: search, read, incremental list, idempotent writes and webhooks.',
  category: 'accounting',
  host: '__SDK_RANGE__',
  capabilities: {
    contactKinds: ['customer', 'supplier'],
    transactionTypes: ['invoice'],
    search: true,
    read: true,
    write: true,
    inboundWebhooks: true,
    remoteStatuses: ['inactive', 'merged'],
    uniqueDisplayNames: true,
  },
  config: ConfigSchema,
  auth: {
    type: 'oauth2',
    scopes: ['contacts'],
    authorizeUrl: ({ config, state, redirectUri }) => {
      const url = new URL(`${config.baseUrl}/oauth/authorize`);
      url.search = new URLSearchParams({ response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri, state, scope: 'contacts' }).toString();
      return url.toString();
    },
    async exchange({ config, redirectUri, callbackUrl }) {
      const params = new URL(callbackUrl).searchParams;
      const code = params.get('code');
      if (params.get('error')) throw ConnectorErrors.authRevoked(`Consent was not given (${params.get('error') ?? ''})`);
      if (!code) throw ConnectorErrors.validation('callbackUrl', 'The callback URL has no code parameter; pass the full URL the provider redirected to');
      const { credentials, tenantId } = await token(config, { grant_type: 'authorization_code', code, redirect_uri: redirectUri });
      const response = await fetch(`${config.baseUrl}/api/tenants`, { headers: { authorization: `Bearer ${credentials.accessToken}` } });
      const tenants = VendorTenants.safeParse(await response.json().catch(() => undefined));
      const tenant = tenants.success ? tenants.data.tenants.find((t) => t.id === tenantId) : undefined;
      return { credentials, tenants: [tenant ?? { id: tenantId, name: `__DISPLAY_NAME__ ${tenantId}` }] };
    },
    async refresh({ config, credentials }) {
      if (!credentials.refreshToken) throw ConnectorErrors.authRevoked('No refresh token is stored; connect again');
      return (await token(config, { grant_type: 'refresh_token', refresh_token: credentials.refreshToken })).credentials;
    },
  },
  fields: {
    customer: contactFields,
    supplier: contactFields,
    invoice: [
      { id: 'number', label: 'Number', type: 'string', maxLength: 21, writable: false },
      { id: 'issueDate', label: 'Issue date', type: 'date', required: true, canonical: 'issueDate' },
      { id: 'dueDate', label: 'Due date', type: 'date', canonical: 'dueDate' },
      { id: 'currency', label: 'Currency', type: 'string', maxLength: 3, required: true, canonical: 'currency' },
      { id: 'reference', label: 'Reference', type: 'string', maxLength: 255, canonical: 'reference' },
      { id: 'total', label: 'Total', type: 'money', writable: false, canonical: 'total' },
    ],
  },
  limits: {
    requestsPerWindow: 100,
    windowSeconds: 60,
    concurrency: 5,
    batchSize: 50,
    limitHeaders: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'seconds' },
  },
  connect: (ctx) => createSession(ctx),
});

export type { Config } from './config.js';
export { ConfigSchema } from './config.js';
export { SIGNATURE_HEADER, signature } from './webhooks.js';
