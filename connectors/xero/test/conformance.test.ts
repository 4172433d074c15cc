import { describeConformance } from '@ledgerlink/connector-sdk/testing';
import { xeroSignature } from '@ledgerlink/sandbox';
import { expect, it } from 'vitest';
import connector from '../src/index.js';
import type { XeroConfig } from '../src/index.js';
import { connectToSandbox, consent, REDIRECT_URI, type SandboxConnection } from './support/sandbox-connection.js';

/**
 * The SDK's conformance kit against the sandbox's Xero. Every check the manifest calls for runs
 * here; the sandbox's control API plays the person in Xero (archive, merge) and injects Xero's
 * throttling answer.
 */
let sandbox: SandboxConnection | undefined;
const live = (): SandboxConnection => {
  if (!sandbox) throw new Error('the sandbox is not connected yet');
  return sandbox;
};
const contactPath = (id: string) => `xero/organisations/${encodeURIComponent(live().tenant.id)}/contacts/${encodeURIComponent(id)}`;

const plan = describeConformance<XeroConfig>({
  connector,
  async connect() {
    sandbox = await connectToSandbox();
    return sandbox;
  },
  fixtures: {
    kind: 'customer',
    // Xero announces a merge as an UPDATE of the merged-away contact.
    webhookMerge: 'update',
    unknownContactId: '6f1d6a52-0000-4000-8000-00000000abcd',
    // The sandbox's first organisation is Australian (AUD) and its chart of accounts has 200 Sales.
    transaction: ({ type, reference }) => ({
      type,
      issueDate: new Date().toISOString().slice(0, 10),
      currency: 'AUD',
      lines: [{ description: 'Conformance line', quantity: 2, unitAmount: 1250, amount: 2500, accountCode: '200' }],
      total: 2500,
      reference,
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
    archive: async ({ id }) => {
      await live().control(`${contactPath(id)}/archive`);
    },
    merge: async ({ loserId, survivorId }) => {
      await live().control(`${contactPath(loserId)}/merge`, { survivorContactId: survivorId });
    },
    // The sandbox answers the next Accounting API call with Xero's 429 (Retry-After, X-Rate-Limit-Problem).
    injectRateLimit: async () => {
      await live().control('faults/xero', { burst429: 1 });
    },
    // An events payload as the sandbox's Xero sends it (a merge is an UPDATE of the merged-away contact), signed with its webhook key.
    webhookBody: ({ id, operation }) => {
      const eventType = operation === 'create' ? 'CREATE' : 'UPDATE';
      const event = {
        resourceUrl: `https://api.xero.com/api.xro/2.0/Contacts/${id}`,
        resourceId: id,
        eventDateUtc: new Date().toISOString().replace('Z', ''),
        eventType,
        eventCategory: 'CONTACT',
        tenantId: live().tenant.id,
        tenantType: 'ORGANISATION',
      };
      return { rawBody: JSON.stringify({ events: [event], firstEventSequence: 1, lastEventSequence: 1, entropy: 'CONFORMANCE0001' }), url: 'https://ledgerlink.example/api/v1/webhooks/xero' };
    },
    signWebhook: ({ rawBody }) => ({ 'x-xero-signature': xeroSignature(rawBody) }),
  },
});

it('[xero] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
});
