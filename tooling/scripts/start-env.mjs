// Builds the environment of the processes `pnpm start` runs. Kept apart from start.mjs so it can
// be tested without starting anything.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * One provider the sandbox plays: its connector's env prefix and the variables that point the
 * connector at the sandbox.
 * @typedef {{ prefix: string, env: (url: string) => Record<string, string> }} SandboxProvider
 */

/**
 * The providers of the sandbox module (apps/sandbox/dist/index.js).
 * @param {{ sandboxConnectorEnv: (url: string) => Record<string, string>, sandboxXeroConnectorEnv: (url: string) => Record<string, string>, sandboxHubspotConnectorEnv: (url: string) => Record<string, string> }} sandbox
 * @returns {SandboxProvider[]}
 */
export function sandboxProviders(sandbox) {
  return [
    { prefix: 'LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_', env: sandbox.sandboxConnectorEnv },
    { prefix: 'LEDGERLINK_CONNECTOR_XERO_', env: sandbox.sandboxXeroConnectorEnv },
    { prefix: 'LEDGERLINK_CONNECTOR_HUBSPOT_', env: sandbox.sandboxHubspotConnectorEnv },
  ];
}

/**
 * @param {{ root: string, env: NodeJS.ProcessEnv, providers: SandboxProvider[] }} input
 */
export function buildStartEnv({ root, env, providers }) {
  const apiPort = Number(env.PORT ?? 4000);
  const sandboxPort = Number(env.SANDBOX_PORT ?? 4010);
  for (const [name, value] of [['PORT', apiPort], ['SANDBOX_PORT', sandboxPort]]) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new Error(`${name}=${env[name]} is not a port number: use a whole number from 1 to 65535`);
    }
  }
  const host = env.HOST ?? '127.0.0.1';
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const consoleUrl = env.LEDGERLINK_PUBLIC_URL ?? `http://${host}:${apiPort}`;
  // A provider's real credentials in the environment win over the sandbox, one provider at a time.
  const connectorEnv = Object.assign({}, ...providers.filter((p) => !env[`${p.prefix}CLIENT_ID`]).map((p) => p.env(sandboxUrl)));
  const base = { ...env };
  // With QuickBooks Online sandboxed, the sandbox pushes its changes (a rename, a merge on its
  // page) to the API as QuickBooks' webhooks, signed with a token made for this run.
  const qboSandboxed = !env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_CLIENT_ID;
  const verifierToken = env.LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN ?? randomBytes(16).toString('hex');
  const webhookSubscriptions = qboSandboxed
    ? [{ url: `${sandboxUrl}/_control/qbo/webhooks`, body: { url: `${consoleUrl}/api/v1/webhooks/quickbooks-online`, verifierToken } }]
    : [];
  return {
    urls: { console: consoleUrl, sandbox: sandboxUrl },
    webhookSubscriptions,
    sandboxEnv: { ...base, SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1' },
    apiEnv: {
      ...base,
      ...connectorEnv,
      ...(qboSandboxed ? { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: verifierToken } : {}),
      PORT: String(apiPort),
      HOST: host,
      LEDGERLINK_PUBLIC_URL: consoleUrl,
      LEDGERLINK_DATA_DIR: env.LEDGERLINK_DATA_DIR ?? join(root, '.ledgerlink'),
      LEDGERLINK_CONSOLE_DIR: join(root, 'apps/console/dist'),
      LEDGERLINK_SEED: env.LEDGERLINK_SEED ?? '1',
    },
  };
}
