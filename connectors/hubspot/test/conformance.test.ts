import { Contact } from '@ledgerlink/connector-sdk';
import { describeConformance } from '@ledgerlink/connector-sdk/testing';
import { expect, it } from 'vitest';
import connector from '../src/index.js';
import type { HubspotConfig } from '../src/index.js';
import { connectToSandbox, consent, REDIRECT_URI, signedHeaders, WEBHOOK_URL, webhookBody, type SandboxConnection } from './support/sandbox-connection.js';

/**
 * The SDK's conformance kit against the sandbox's HubSpot. Every check the manifest calls for runs
 * here; the sandbox's control API plays the person in HubSpot (archive, merge), injects HubSpot's
 * 429 and signs webhooks with the app secret as the sandbox's dispatcher does.
 */
let sandbox: SandboxConnection | undefined;
const live = (): SandboxConnection => {
  if (!sandbox) throw new Error('the sandbox is not connected yet');
  return sandbox;
};

const plan = describeConformance<HubspotConfig>({
  connector,
  async connect() {
    sandbox = await connectToSandbox();
    return sandbox;
  },
  fixtures: {
    kind: 'customer',
    unknownContactId: '987654321',
    // HubSpot has no display-name property: a name over the catalog's 255 characters for lastname.
    invalidContact: Contact.parse({ kind: 'customer', displayName: `Too long ${'x'.repeat(300)}` }),
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
      await live().control(live().portalPath(`contacts/${encodeURIComponent(id)}/archive`));
    },
    merge: async ({ loserId, survivorId }) => {
      await live().control(live().portalPath('contacts/merge'), { primaryObjectId: survivorId, objectIdToMerge: loserId });
    },
    // The sandbox answers the next CRM call with HubSpot's 429 (TEN_SECONDLY_ROLLING).
    injectRateLimit: async () => {
      await live().control('faults/hubspot', { burst429: 1 });
    },
    webhookBody: ({ id, operation, survivorId }) => ({ rawBody: webhookBody(live().tenant.id, { id, operation, ...(survivorId ? { survivorId } : {}) }), url: WEBHOOK_URL }),
    signWebhook: ({ rawBody, url }) => signedHeaders(live().config.webhookSecret ?? live().config.clientSecret, rawBody, url),
  },
});

it('[hubspot] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
});
