// Builds the environment of the processes `pnpm start` runs. Kept apart from start.mjs so it can
// be tested without starting anything.
import { join } from 'node:path';

const QBO_PREFIX = 'LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_';

/**
 * @param {{ root: string, env: NodeJS.ProcessEnv, sandboxConnectorEnv: (url: string) => Record<string, string> }} input
 */
export function buildStartEnv({ root, env, sandboxConnectorEnv }) {
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
  // Real QuickBooks credentials in the environment win over the sandbox.
  const realQbo = Boolean(env[`${QBO_PREFIX}CLIENT_ID`]);
  const connectorEnv = realQbo ? {} : sandboxConnectorEnv(sandboxUrl);
  const base = { ...env };
  return {
    urls: { console: consoleUrl, sandbox: sandboxUrl },
    sandboxEnv: { ...base, SANDBOX_PORT: String(sandboxPort), SANDBOX_HOST: '127.0.0.1' },
    apiEnv: {
      ...base,
      ...connectorEnv,
      PORT: String(apiPort),
      HOST: host,
      LEDGERLINK_PUBLIC_URL: consoleUrl,
      LEDGERLINK_DATA_DIR: env.LEDGERLINK_DATA_DIR ?? join(root, '.ledgerlink'),
      LEDGERLINK_CONSOLE_DIR: join(root, 'apps/console/dist'),
      LEDGERLINK_SEED: env.LEDGERLINK_SEED ?? '1',
    },
  };
}
