import { describeConformance } from '@ledgerlink/connector-sdk/testing';
import { expect, it } from 'vitest';
import connector from '../src/index.js';
import type { QboConfig } from '../src/index.js';
import { connectToSandbox, consent, REDIRECT_URI, type SandboxConnection } from './support/sandbox-connection.js';

/**
 * The SDK's conformance kit against the sandbox's QuickBooks Online. Every check the manifest
 * calls for runs here; the sandbox's control API plays the person in QuickBooks (inactivate,
 * merge) and injects QBO's throttling answer.
 */
let sandbox: SandboxConnection | undefined;
const live = (): SandboxConnection => {
  if (!sandbox) throw new Error('the sandbox is not connected yet');
  return sandbox;
};

async function control(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${live().url}/_control/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
}

const plan = describeConformance<QboConfig>({
  connector,
  async connect() {
    sandbox = await connectToSandbox();
    return sandbox;
  },
  fixtures: { kind: 'customer', unknownContactId: '987654321' },
  hooks: {
    oauth: {
      get config() {
        return live().config;
      },
      redirectUri: REDIRECT_URI,
      consent: async (authorizeUrl) => (await consent(authorizeUrl)).toString(),
    },
    makeInactive: ({ id }) => control(`qbo/companies/${encodeURIComponent(live().tenant.id)}/customers/${encodeURIComponent(id)}/inactivate`),
    merge: ({ loserId, survivorId }) => control(`qbo/companies/${encodeURIComponent(live().tenant.id)}/customers/${encodeURIComponent(loserId)}/merge`, { intoId: survivorId }),
    // The sandbox answers the next API call with QBO's throttling fault (HTTP 429, code 3001).
    injectRateLimit: () => control('faults/qbo', { burst429: 1 }),
  },
});

it('[quickbooks-online] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
});
