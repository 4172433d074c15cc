import { createMemoryCheckpointStore, createTestHttpClient, describeConformance } from '@ledgerlink/connector-sdk/testing';
import type { ConnectorContext, Credentials } from '@ledgerlink/connector-sdk';
import { expect, it } from 'vitest';
import connector, { ConfigSchema, SIGNATURE_HEADER, signature, type Config } from '../src/index.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
let server: FakeServer | undefined;
let config: Config | undefined;
const live = () => {
  if (!server || !config) throw new Error('the fake server is not started yet');
  return { server, config };
};

const plan = describeConformance<Config>({
  connector,
  async connect() {
    server = await startFakeServer();
    config = ConfigSchema.parse({ clientId: server.clientId, clientSecret: server.clientSecret, baseUrl: server.url, appBaseUrl: `${server.url}/app`, webhookSecret: WEBHOOK_SECRET });
    const credentials: Credentials = { accessToken: server.issueAccessToken() };
    const ctx: ConnectorContext<Config> = {
      config,
      tenantId: server.tenant.id,
      credentials: () => credentials,
      http: createTestHttpClient(() => credentials),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => new Date() },
      checkpoints: createMemoryCheckpointStore(),
    };
    const session = await connector.connect(ctx);
    const running = server;
    return { ctx, session, close: () => running.close() };
  },
  fixtures: { kind: 'customer', unknownContactId: 'c-does-not-exist' },
  hooks: {
    oauth: {
      get config() {
        return live().config;
      },
      redirectUri: 'http://127.0.0.1:1/callback',
      consent: (authorizeUrl) => live().server.consent(authorizeUrl),
    },
    makeInactive: ({ id }) => Promise.resolve(live().server.makeInactive(id)),
    merge: ({ loserId, survivorId }) => Promise.resolve(live().server.merge(loserId, survivorId)),
    injectRateLimit: () => Promise.resolve(live().server.rateLimitNext(3)),
    webhookBody: ({ kind, id, operation, survivorId }) => {
      const type = operation === 'create' ? 'contact.created' : operation === 'merge' ? 'contact.merged' : operation === 'delete' ? 'contact.deleted' : 'contact.updated';
      const event = { eventId: `e-${id}`, type, kind, id, ...(survivorId ? { survivorId } : {}), at: new Date().toISOString(), tenantId: live().server.tenant.id };
      return { rawBody: JSON.stringify({ events: [event] }), url: `${live().server.url}/webhooks` };
    },
    signWebhook: ({ rawBody }) => ({ [SIGNATURE_HEADER]: signature(WEBHOOK_SECRET, rawBody) }),
  },
});

it('[__CONNECTOR_ID__] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
});
