import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, SDK_VERSION, type Capabilities, type ConnectorDefinition } from '../define-connector.js';
import { planConformance, type ConformanceHooks } from './conformance-plan.js';

function connector(capabilities: Partial<Capabilities>, auth: ConnectorDefinition<unknown>['auth'] = { type: 'api_key', label: 'API key' }) {
  return defineConnector<unknown>({
    id: 'acme-books',
    displayName: 'Acme Books',
    description: 'Acme accounting',
    category: 'accounting',
    host: `^${SDK_VERSION}`,
    capabilities: { contactKinds: ['customer'], search: false, read: false, write: false, ...capabilities },
    config: z.unknown(),
    auth,
    fields: { customer: [{ id: 'name', label: 'Name', type: 'string', maxLength: 100, canonical: 'displayName' }] },
    limits: { requestsPerWindow: 60, windowSeconds: 60, concurrency: 5, batchSize: 50 },
    connect: () => {
      throw new Error('not used in this test');
    },
  });
}

const noop = () => Promise.resolve();

describe('planConformance', () => {
  it('registers only the checks a declared capability calls for', () => {
    const plan = planConformance({ connector: connector({}) });
    expect(plan.checks.map((c) => c.id)).toEqual(['manifest', 'tenants.list']);
    expect(plan.uncovered).toEqual([]);
  });

  it('runs every contact check for a read/write/search connector with its hooks', () => {
    const hooks: ConformanceHooks<unknown> = { makeInactive: noop, merge: noop, injectRateLimit: noop };
    const plan = planConformance({
      connector: connector({ search: true, read: true, write: true, uniqueDisplayNames: true, remoteStatuses: ['inactive', 'merged'] }),
      hooks,
      fixtures: { unknownContactId: '404' },
    });
    expect(plan.checks.map((c) => c.id)).toEqual([
      'manifest',
      'tenants.list',
      'contacts.search',
      'contacts.get',
      'contacts.upsert',
      'contacts.duplicate',
      'contacts.batch',
      'contacts.inactive',
      'contacts.merged',
      'contacts.list',
      'errors.rate-limit',
    ]);
    expect(plan.uncovered).toEqual([]);
  });

  it('names what is missing for a capability the setup cannot drive, instead of registering it', () => {
    const oauth = {
      type: 'oauth2' as const,
      scopes: [],
      authorizeUrl: () => 'https://example.test/authorize',
      exchange: () => Promise.reject(new Error('unused')),
      refresh: () => Promise.reject(new Error('unused')),
    };
    const plan = planConformance({ connector: connector({ read: true, remoteStatuses: ['archived'], inboundWebhooks: true, transactionTypes: ['invoice'] }, oauth) });
    expect(plan.checks.map((c) => c.id)).toEqual(['manifest', 'tenants.list']);
    expect(plan.uncovered).toEqual([
      { id: 'auth.oauth2', missing: 'hooks.oauth (config, redirectUri, consent)' },
      { id: 'contacts.get', missing: 'fixtures.unknownContactId' },
      { id: 'contacts.archived', missing: 'capabilities.write, hooks.archive' },
      { id: 'contacts.list', missing: 'capabilities.write (the check changes contacts between reads)' },
      { id: 'errors.rate-limit', missing: 'hooks.injectRateLimit' },
      { id: 'transactions', missing: 'capabilities.write (the check creates the contact the transactions belong to)' },
      { id: 'webhooks', missing: 'hooks.webhookBody, hooks.signWebhook' },
    ]);
  });

  it('uses the first contact kind unless the fixtures choose one', () => {
    expect(planConformance({ connector: connector({ contactKinds: ['supplier', 'customer'] }) }).kind).toBe('supplier');
    expect(planConformance({ connector: connector({ contactKinds: ['supplier', 'customer'] }), fixtures: { kind: 'customer' } }).kind).toBe('customer');
  });
});
