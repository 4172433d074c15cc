import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStartEnv } from './start-env.mjs';

const fakeSandboxEnv = (url) => ({ LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL: `${url}/qbo`, LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'sandbox-client' });

test('pnpm start points QuickBooks Online at the sandbox and keeps data in .ledgerlink by default', () => {
  const { apiEnv, urls } = buildStartEnv({ root: '/repo', env: {}, sandboxConnectorEnv: fakeSandboxEnv });
  assert.equal(urls.console, 'http://127.0.0.1:4000');
  assert.equal(urls.sandbox, 'http://127.0.0.1:4010');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL, 'http://127.0.0.1:4010/qbo');
  assert.equal(apiEnv.LEDGERLINK_DATA_DIR, '/repo/.ledgerlink');
  assert.equal(apiEnv.LEDGERLINK_CONSOLE_DIR, '/repo/apps/console/dist');
  assert.equal(apiEnv.DATABASE_URL, undefined);
});

test('real QuickBooks credentials in the environment are used instead of the sandbox', () => {
  const { apiEnv } = buildStartEnv({ root: '/repo', env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID: 'real-id' }, sandboxConnectorEnv: fakeSandboxEnv });
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID, 'real-id');
  assert.equal(apiEnv.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL, undefined);
});

test('ports come from PORT and SANDBOX_PORT, and a bad one is refused by name', () => {
  const { urls } = buildStartEnv({ root: '/r', env: { PORT: '5000', SANDBOX_PORT: '5010' }, sandboxConnectorEnv: fakeSandboxEnv });
  assert.equal(urls.console, 'http://127.0.0.1:5000');
  assert.throws(() => buildStartEnv({ root: '/r', env: { PORT: 'abc' }, sandboxConnectorEnv: fakeSandboxEnv }), /PORT=abc is not a port number/);
});
