import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, SDK_VERSION, validateConnector, validateSession, type ConnectorDefinition } from './define-connector.js';
import type { ConnectorSession } from './session.js';
import { ConnectorError, ConnectorErrors, isConnectorError } from './errors.js';

// A tiny range check standing in for semver.satisfies (the host passes the real one).
const satisfies = (version: string, range: string) => range === `^${version}` || range === '*';

function base(overrides: Partial<ConnectorDefinition<{ apiKey: string }>> = {}): ConnectorDefinition<{ apiKey: string }> {
  return {
    id: 'acme-books',
    displayName: 'Acme Books',
    description: 'Acme accounting',
    category: 'accounting',
    host: `^${SDK_VERSION}`,
    capabilities: { contactKinds: ['customer'], search: true, read: true, write: true },
    config: z.object({ apiKey: z.string() }),
    auth: { type: 'api_key', label: 'API key' },
    fields: { customer: [{ id: 'name', label: 'Name', type: 'string', required: true }] },
    limits: { requestsPerWindow: 60, windowSeconds: 60, concurrency: 5, batchSize: 50 },
    connect: () => {
      throw new Error('not used in this test');
    },
    ...overrides,
  };
}

describe('validateConnector', () => {
  it('accepts a well-formed connector', () => {
    expect(validateConnector(defineConnector(base()), satisfies)).toEqual([]);
  });

  it('refuses an object not made with defineConnector', () => {
    expect(validateConnector(base(), satisfies)).toEqual([
      { path: '(default export)', message: 'is not made with defineConnector() from @ledgerlink/connector-sdk' },
    ]);
  });

  it('names each bad manifest field', () => {
    const problems = validateConnector(defineConnector(base({ id: 'Acme Books!', limits: { requestsPerWindow: 0, windowSeconds: 60, concurrency: 5, batchSize: 50 } })), satisfies);
    expect(problems.map((p) => p.path)).toEqual(['id', 'limits.requestsPerWindow']);
    expect(problems[0]?.message).toMatch(/kebab-case/);
  });

  it('refuses a connector built for another SDK version', () => {
    const problems = validateConnector(defineConnector(base({ host: '^9.0.0' })), satisfies);
    expect(problems).toEqual([{ path: 'host', message: `range "^9.0.0" does not include the installed @ledgerlink/connector-sdk ${SDK_VERSION}` }]);
  });
});

describe('ConnectorError', () => {
  it('carries what the host needs to act and serialises without undefined fields', () => {
    const error = ConnectorErrors.duplicate('58', 'Duplicate Name Exists Error', { providerCode: '6240' });
    expect(error).toBeInstanceOf(ConnectorError);
    expect(isConnectorError(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ kind: 'duplicate', message: 'Duplicate Name Exists Error', existingRemoteId: '58', providerCode: '6240' });
  });

  it('marks rate limits and transient failures retryable, merges as carrying the survivor', () => {
    expect(ConnectorErrors.rateLimited('slow down', 30).retryable).toBe(true);
    expect(ConnectorErrors.transient('502').retryable).toBe(true);
    const merged = ConnectorErrors.remoteInactive('merged', 'merged into 7', '7');
    expect(merged.toJSON()).toMatchObject({ kind: 'remote_inactive', reason: 'merged', survivorId: '7' });
  });
});

describe('SDK v1 manifest and session parts', () => {
  it('accepts field catalogs for transactions, limit headers and the new capabilities', () => {
    const definition = defineConnector(
      base({
        capabilities: { contactKinds: ['customer'], transactionTypes: ['invoice'], search: true, read: true, write: true, remoteStatuses: ['archived'], uniqueDisplayNames: true },
        fields: { customer: [{ id: 'name', label: 'Name', type: 'string' }], invoice: [{ id: 'number', label: 'Number', type: 'string', maxLength: 21 }] },
        limits: { requestsPerWindow: 60, windowSeconds: 60, concurrency: 5, batchSize: 50, limitHeaders: { remaining: 'x-minlimit-remaining', dailyRemaining: 'x-daylimit-remaining' } },
      }),
    );
    expect(validateConnector(definition, satisfies)).toEqual([]);
  });

  it('names a remote status the SDK does not know', () => {
    const problems = validateConnector(
      defineConnector(base({ capabilities: { contactKinds: ['customer'], search: true, read: true, write: true, remoteStatuses: ['frozen' as 'archived'] } })),
      satisfies,
    );
    expect(problems.map((p) => p.path)).toEqual(['capabilities.remoteStatuses.0']);
  });

  it('a session missing the parts its capabilities promise is named part by part', () => {
    const contacts = { search: async () => [], get: async () => Promise.reject(new Error('unused')), list: async () => ({ items: [], checkpoint: '', hasMore: false }), upsert: async () => [] };
    const session: ConnectorSession = { tenants: { list: async () => [] }, contacts, deepLink: () => undefined };
    expect(validateSession({ capabilities: { contactKinds: ['customer'], search: true, read: true, write: true } }, session)).toEqual([]);
    expect(validateSession({ capabilities: { contactKinds: ['customer'], transactionTypes: ['invoice'], search: true, read: true, write: true, inboundWebhooks: true } }, session).map((p) => p.path)).toEqual([
      'session.transactions.push',
      'session.transactions.listForContact',
      'session.webhooks.verify',
      'session.webhooks.parse',
    ]);
  });
});
