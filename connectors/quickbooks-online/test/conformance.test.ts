import type { ChangeOperation } from '@ledgerlink/connector-sdk';
import { describeConformance } from '@ledgerlink/connector-sdk/testing';
import { intuitSignature, qboWebhookBody, type QboChangeEvent } from '@ledgerlink/sandbox';
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

/** The verifier token the test gives both the connector (its config) and the sandbox's signer. */
const VERIFIER_TOKEN = `verifier-${Math.random().toString(36).slice(2)}`;
const OPERATIONS: Readonly<Record<ChangeOperation, QboChangeEvent['operation'] | undefined>> = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
  merge: 'Merge',
  archive: undefined,
  inactivate: undefined,
};

const plan = describeConformance<QboConfig>({
  connector,
  async connect() {
    sandbox = await connectToSandbox({ env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: VERIFIER_TOKEN } });
    return sandbox;
  },
  fixtures: {
    kind: 'customer',
    unknownContactId: '987654321',
    // "Consulting" and "Hours" are items of every sandbox company (the default lists).
    transaction: ({ type, reference }) => ({
      type,
      number: reference.slice(0, 21),
      issueDate: new Date().toISOString().slice(0, 10),
      currency: 'USD',
      lines: [
        { description: 'Conformance consulting', quantity: 3, unitAmount: 15000, amount: 45000, itemCode: 'Consulting' },
        { description: 'Conformance hours', quantity: 1, unitAmount: 1999, amount: 1999, itemCode: 'Hours' },
      ],
      total: 46999,
    }),
  },
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
    // The sandbox's own webhook body (classic format) and intuit-signature are the oracle.
    webhookBody: ({ id, operation, survivorId }) => {
      const qboOperation = OPERATIONS[operation];
      if (!qboOperation) throw new Error(`QuickBooks sends no ${operation} events`);
      // QBO names the survivor as the entity of a Merge and the merged-away record as deletedId.
      const event: QboChangeEvent =
        qboOperation === 'Merge' && survivorId !== undefined
          ? { realmId: live().tenant.id, entity: 'Customer', id: survivorId, operation: 'Merge', timeMs: Date.now(), deletedId: id }
          : { realmId: live().tenant.id, entity: 'Customer', id, operation: qboOperation, timeMs: Date.now() };
      return { rawBody: qboWebhookBody('classic', live().tenant.id, [event]), url: 'http://127.0.0.1:65535/webhooks/quickbooks-online' };
    },
    signWebhook: ({ rawBody }) => ({ 'intuit-signature': intuitSignature(rawBody, VERIFIER_TOKEN) }),
  },
});

it('[quickbooks-online] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
});
