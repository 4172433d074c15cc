import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorLoadError, loadConnectorRegistry } from './connector-registry.js';

// Fixture packages live under apps/api/node_modules so their `import 'zod'` and
// `import '@ledgerlink/connector-sdk'` resolve like a real installed connector's would.
const apiRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(apiRoot, 'node_modules', `.ll-registry-test-${process.pid}-${Date.now()}`);
const hostPackageJson = join(root, 'package.json');

function connectorSource(overrides: string): string {
  return `import { z } from 'zod';
import { defineConnector } from '@ledgerlink/connector-sdk';
const definition = {
  id: 'fixture-crm',
  displayName: 'Fixture CRM',
  description: 'A connector used by the registry tests',
  category: 'crm',
  host: '^0.1.0',
  capabilities: { contactKinds: ['customer'], search: true, read: true, write: true },
  config: z.object({ clientId: z.string().min(1), apiBaseUrl: z.url().default('https://api.example.com') }),
  auth: { type: 'api_key', label: 'API key' },
  fields: {},
  limits: { requestsPerWindow: 100, windowSeconds: 10, concurrency: 4, batchSize: 10 },
  connect() { throw new Error('not used'); },
  ${overrides}
};
export default defineConnector(definition);
`;
}

async function writePackage(name: string, pkg: Record<string, unknown>, source: string): Promise<void> {
  const dir = join(root, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', main: 'index.js', ...pkg }));
  await writeFile(join(dir, 'index.js'), source);
}

async function writeHost(dependencies: string[]): Promise<void> {
  await writeFile(hostPackageJson, JSON.stringify({ name: 'host', dependencies: Object.fromEntries(dependencies.map((d) => [d, '*'])) }));
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorLoadError);
  return (error as ConnectorLoadError).message;
}

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  const keyword = { keywords: ['ledgerlink-connector'] };
  await writePackage('ledgerlink-connector-good', keyword, connectorSource(''));
  await writePackage('ledgerlink-connector-future', keyword, connectorSource(`host: '^9.0.0', id: 'Bad Id',`));
  await writePackage('ledgerlink-connector-plain', keyword, `export default { id: 'plain', connect() {} };\n`);
  await writePackage('some-library', {}, `export default 42;\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadConnectorRegistry', () => {
  it('loads dependencies with the ledgerlink-connector keyword and ignores other packages', async () => {
    await writeHost(['ledgerlink-connector-good', 'some-library']);
    const registry = await loadConnectorRegistry({ packageJsonPath: hostPackageJson });
    expect(registry.list().map((c) => [c.definition.id, c.packageName, c.packageVersion, c.configured])).toEqual([
      ['fixture-crm', 'ledgerlink-connector-good', '1.2.3', false],
    ]);
  });

  it("parses LEDGERLINK_CONNECTOR_<ID>_<KEY> variables with the connector's own schema", async () => {
    await writeHost(['ledgerlink-connector-good']);
    const registry = await loadConnectorRegistry({
      packageJsonPath: hostPackageJson,
      connectorEnv: { LEDGERLINK_CONNECTOR_FIXTURE_CRM_CLIENT_ID: 'abc' },
    });
    const connector = registry.find('fixture-crm');
    expect(connector?.configured).toBe(true);
    expect(connector?.config).toEqual({ clientId: 'abc', apiBaseUrl: 'https://api.example.com' });
  });

  it('refuses a bad configuration naming the variable to set', async () => {
    await writeHost(['ledgerlink-connector-good']);
    const message = await refusal(
      loadConnectorRegistry({ packageJsonPath: hostPackageJson, connectorEnv: { LEDGERLINK_CONNECTOR_FIXTURE_CRM_API_BASE_URL: 'not a url' } }),
    );
    expect(message).toContain('LEDGERLINK_CONNECTOR_FIXTURE_CRM_CLIENT_ID is required (configuration of connector fixture-crm)');
    expect(message).toContain('LEDGERLINK_CONNECTOR_FIXTURE_CRM_API_BASE_URL');
  });

  it('refuses a manifest for another SDK version with an invalid id, naming the package and each problem', async () => {
    await writeHost(['ledgerlink-connector-good', 'ledgerlink-connector-future']);
    const message = await refusal(loadConnectorRegistry({ packageJsonPath: hostPackageJson }));
    expect(message).toContain('Connector package ledgerlink-connector-future is refused:');
    expect(message).toContain('id id must be kebab-case');
    expect(message).toContain('host range "^9.0.0" does not include the installed @ledgerlink/connector-sdk 0.1.0');
  });

  it('refuses a default export not made with defineConnector', async () => {
    await writeHost(['ledgerlink-connector-plain']);
    const message = await refusal(loadConnectorRegistry({ packageJsonPath: hostPackageJson }));
    expect(message).toBe('Connector package ledgerlink-connector-plain is refused: (default export) is not made with defineConnector() from @ledgerlink/connector-sdk');
  });

  it('refuses LEDGERLINK_CONNECTORS names that are missing or not connectors', async () => {
    await writeHost([]);
    const message = await refusal(loadConnectorRegistry({ packageJsonPath: hostPackageJson, extraPackages: ['ledgerlink-connector-missing', 'some-library'] }));
    expect(message.split('\n')).toEqual([
      'Connector package ledgerlink-connector-missing (named in LEDGERLINK_CONNECTORS) is not installed: add it with `pnpm add ledgerlink-connector-missing` in apps/api',
      'Package some-library (named in LEDGERLINK_CONNECTORS) is not a Ledgerlink connector: its package.json has no keyword "ledgerlink-connector"',
    ]);
  });

  it('loads an extra connector named in LEDGERLINK_CONNECTORS', async () => {
    await writeHost([]);
    const registry = await loadConnectorRegistry({ packageJsonPath: hostPackageJson, extraPackages: ['ledgerlink-connector-good'] });
    expect(registry.find('fixture-crm')?.packageName).toBe('ledgerlink-connector-good');
  });
});
