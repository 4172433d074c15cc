import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStartEnv, sandboxProviders } from './start-env.mjs';

const providers = sandboxProviders({
  sandboxConnectorEnv: (url) => ({ LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL: `${url}/qbo`, LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'sandbox-client' }),
  sandboxXeroConnectorEnv: (url) => ({ LEDGERLINK_CONNECTOR_XERO_API_BASE_URL: `${url}/xero/api.xro/2.0`, LEDGERLINK_CONNECTOR_XERO_CLIENT_ID: 'sandbox-xero' }),
  sandboxHubspotConnectorEnv: (url) => ({ LEDGERLINK_CONNECTOR_HUBSPOT_API_BASE_URL: `${url}/hubspot`, LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID: 'sandbox-hubspot' }),
});

test('pnpm start points QuickBooks Online, Xero and HubSpot at the sandbox and keeps data in .ledgerlink by default', () => {
  const { apiEnv, urls } = buildStartEnv({ root: '/repo', env: {}, providers });
  assert.equal(urls.console, 'http://127.0.0.1:4000');
  assert.equal(urls.sandbox, 'http://127.0.0.1:4010');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL, 'http://127.0.0.1:4010/qbo');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_XERO_API_BASE_URL, 'http://127.0.0.1:4010/xero/api.xro/2.0');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_HUBSPOT_API_BASE_URL, 'http://127.0.0.1:4010/hubspot');
  assert.equal(apiEnv.LEDGERLINK_DATA_DIR, '/repo/.ledgerlink');
  assert.equal(apiEnv.LEDGERLINK_CONSOLE_DIR, '/repo/apps/console/dist');
  assert.equal(apiEnv.DATABASE_URL, undefined);
});

test("one provider's real credentials replace the sandbox for that provider only", () => {
  const { apiEnv } = buildStartEnv({ root: '/repo', env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'real-id' }, providers });
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID, 'real-id');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL, undefined);
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_XERO_CLIENT_ID, 'sandbox-xero');
});

test('ports come from PORT and SANDBOX_PORT, and a bad one is refused by name', () => {
  const { urls } = buildStartEnv({ root: '/r', env: { PORT: '5000', SANDBOX_PORT: '5010' }, providers });
  assert.equal(urls.console, 'http://127.0.0.1:5000');
  assert.throws(() => buildStartEnv({ root: '/r', env: { PORT: 'abc' }, providers }), /PORT=abc is not a port number/);
});

test("with QuickBooks Online sandboxed, the sandbox's webhooks are signed with a token the API knows, and point at the API", () => {
  const { apiEnv, webhookSubscriptions } = buildStartEnv({ root: '/repo', env: {}, providers });
  const token = apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN;
  assert.match(token, /^[0-9a-f]{32}$/);
  assert.deepEqual(webhookSubscriptions, [
    { url: 'http://127.0.0.1:4010/_control/qbo/webhooks', body: { url: 'http://127.0.0.1:4000/api/v1/webhooks/quickbooks-online', verifierToken: token } },
  ]);
  const real = buildStartEnv({ root: '/repo', env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'real-id' }, providers });
  assert.deepEqual(real.webhookSubscriptions, []);
  assert.equal(real.apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN, undefined);
});
