import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConnector, validateSession, SDK_VERSION } from '../define-connector.js';
import { isConnectorError, type ConnectorError } from '../errors.js';
import { Contact, Transaction, type ContactKind, type RemoteContact } from '../models.js';
import type { ItemResult, UpsertedContact } from '../session.js';
import { displayNameField, planConformance, type CheckId, type ConformanceConnection, type ConformancePlan, type ConformanceSetup } from './conformance-plan.js';
import { satisfiesRange } from './semver-range.js';
import { createTestHttpClient } from './test-http-client.js';

/**
 * Registers the conformance checks that apply to `setup.connector` as vitest tests, named
 * `[<connector id>] <check>: <behaviour>`. Call it at the top level of a test file. Returns the
 * plan: which checks were registered and which could not be (a missing hook or fixture).
 */
export function describeConformance<Config>(setup: ConformanceSetup<Config>): ConformancePlan {
  const plan = planConformance(setup);
  const { connector } = setup;
  const kind: ContactKind = plan.kind;
  const run = Math.random().toString(36).slice(2, 8);
  const unique = (label: string) => `${label} ${run}`;
  const timeout = setup.timeoutMs ?? 30_000;
  let connection: ConformanceConnection<Config> | undefined;
  let keyCounter = 0;
  const key = (label: string) => `conformance-${run}-${label}-${(keyCounter += 1)}`;

  const session = () => {
    if (!connection) throw new Error(`[${connector.id}] connect() did not return a session; see the error of the first check`);
    return connection.session;
  };
  const contact = (displayName: string) => Contact.parse({ kind, displayName });

  const create = async (displayName: string): Promise<RemoteContact> => {
    const [result] = await session().contacts.upsert([{ idempotencyKey: key('create'), contact: contact(displayName) }]);
    if (!result?.ok) throw new Error(`creating ${kind} "${displayName}" failed: ${JSON.stringify(result?.ok === false ? result.error : result)}`);
    return result.value.remote;
  };
  const expectOk = (result: ItemResult<UpsertedContact> | undefined, what: string): UpsertedContact => {
    if (!result) throw new Error(`${what}: upsert returned no result for the item (it must return one result per item, in order)`);
    if (!result.ok) throw new Error(`${what}: expected success, got ${JSON.stringify(result.error)}`);
    return result.value;
  };
  const rejection = async (promise: Promise<unknown>): Promise<ConnectorError> => {
    const outcome = await promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (!('error' in outcome)) throw new Error(`expected a ConnectorError, but the call resolved with ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
    if (!isConnectorError(outcome.error)) throw new Error(`expected a ConnectorError, got ${String(outcome.error)}`, { cause: outcome.error });
    return outcome.error;
  };

  const names: Record<CheckId, string> = {
    manifest: 'manifest',
    'auth.oauth2': 'auth',
    'tenants.list': 'tenants.list',
    'contacts.search': 'contacts.search',
    'contacts.get': 'contacts.get',
    'contacts.upsert': 'contacts.upsert',
    'contacts.duplicate': 'contacts.upsert',
    'contacts.batch': 'contacts.upsert',
    'contacts.inactive': 'contacts.status',
    'contacts.archived': 'contacts.status',
    'contacts.merged': 'contacts.status',
    'contacts.list': 'contacts.list',
    'errors.rate-limit': 'rate limits',
    transactions: 'transactions.push',
    webhooks: 'webhooks',
  };
  const check = (id: CheckId, behaviour: string, body: () => Promise<void>) => {
    it(`[${connector.id}] ${names[id]}: ${behaviour}`, body, timeout);
  };

  const registrations: Record<CheckId, () => void> = {
    manifest: () => {
      check('manifest', `the manifest is valid for @ledgerlink/connector-sdk ${SDK_VERSION} and the session has every part its capabilities promise`, async () => {
        expect(validateConnector(connector, setup.satisfies ?? satisfiesRange)).toEqual([]);
        expect(validateSession(connector, session())).toEqual([]);
        for (const contactKind of plan.capabilities.contactKinds) {
          const fields = connector.fields[contactKind];
          expect(fields?.length ?? 0, `fields.${contactKind}: a catalog is required for every kind in capabilities.contactKinds`).toBeGreaterThan(0);
          const ids = (fields ?? []).map((f) => f.id);
          expect(new Set(ids).size, `fields.${contactKind}: field ids must be unique`).toBe(ids.length);
        }
        for (const type of plan.capabilities.transactionTypes) {
          expect(connector.fields[type]?.length ?? 0, `fields.${type}: a catalog is required for every type in capabilities.transactionTypes`).toBeGreaterThan(0);
        }
      });
    },
    'auth.oauth2': () => {
      check('auth.oauth2', 'consent, code exchange and refresh give credentials that work', async () => {
        const oauth = setup.hooks?.oauth;
        if (connector.auth.type !== 'oauth2' || !oauth) throw new Error('unreachable: planned only for oauth2 with hooks.oauth');
        const state = `state-${run}`;
        const authorizeUrl = await connector.auth.authorizeUrl({ config: oauth.config, state, redirectUri: oauth.redirectUri });
        expect(() => new URL(authorizeUrl), 'authorizeUrl must return an absolute URL').not.toThrow();
        const callbackUrl = await oauth.consent(authorizeUrl);
        expect(new URL(callbackUrl).searchParams.get('state'), 'the provider must send the state back').toBe(state);
        const { credentials, tenants } = await connector.auth.exchange({ config: oauth.config, redirectUri: oauth.redirectUri, callbackUrl });
        expect(credentials.accessToken).toBeTruthy();
        expect(tenants.length, 'exchange must name the tenants the consent covers').toBeGreaterThan(0);
        const refreshed = await connector.auth.refresh({ config: oauth.config, credentials });
        expect(refreshed.accessToken).toBeTruthy();
        expect(refreshed.accessToken, 'refresh must return a new access token').not.toBe(credentials.accessToken);
        if (credentials.refreshToken) expect(refreshed.refreshToken, 'refresh must hand back the (possibly rotated) refresh token').toBeTruthy();
        const tenant = tenants[0];
        if (!tenant) return;
        const fresh = await connector.connect({
          config: oauth.config,
          tenantId: tenant.id,
          credentials: () => refreshed,
          http: createTestHttpClient(() => refreshed),
          logger: quietLogger,
          clock: { now: () => new Date() },
        });
        expect((await fresh.tenants.list()).map((t) => t.id)).toContain(tenant.id);
      });
    },
    'tenants.list': () => {
      check('tenants.list', "lists the session's tenant with a name", async () => {
        const tenants = await session().tenants.list();
        const tenantId = connection?.ctx.tenantId;
        const mine = tenants.find((t) => t.id === tenantId);
        expect(mine, `tenants.list() must include the session's tenant ${tenantId ?? ''}`).toBeDefined();
        expect(mine?.name.trim()).not.toBe('');
      });
    },
    'contacts.search': () => {
      check('contacts.search', 'finds names with quotes and non-ASCII letters and treats query syntax as text', async () => {
        const name = unique(`Zoë's Café "Ñandú"`);
        const created = await create(name);
        const found = await session().contacts.search({ kind, text: name });
        expect(found.map((c) => c.id)).toContain(created.id);
        const partialText = await session().contacts.search({ kind, text: `Zoë's Café` });
        expect(partialText.map((c) => c.id), 'search must match part of a name').toContain(created.id);
        expect(await session().contacts.search({ kind, text: `' OR '1'='1 ${run}` })).toEqual([]);
      });
    },
    'contacts.get': () => {
      check('contacts.get', 'an unknown id rejects with not_found', async () => {
        const error = await rejection(session().contacts.get({ kind, id: setup.fixtures?.unknownContactId ?? '' }));
        expect(error.kind).toBe('not_found');
      });
    },
    'contacts.upsert': () => {
      check('contacts.upsert', 'creates a contact and reads it back, then updates it by remote id', async () => {
        const name = unique('Conformance Create');
        const [result] = await session().contacts.upsert([{ idempotencyKey: key('create'), contact: contact(name) }]);
        const created = expectOk(result, 'create');
        expect(created.created).toBe(true);
        expect(created.remote.status).toBe('active');
        expect(created.remote.contact.displayName).toBe(name);
        if (plan.capabilities.read) expect((await session().contacts.get({ kind, id: created.remote.id })).contact.displayName).toBe(name);
        const renamed = unique('Conformance Renamed');
        const [update] = await session().contacts.upsert([
          { idempotencyKey: key('update'), remoteId: created.remote.id, ...(created.remote.version !== undefined ? { version: created.remote.version } : {}), contact: contact(renamed) },
        ]);
        const updated = expectOk(update, 'update');
        expect(updated.created).toBe(false);
        expect(updated.remote.id).toBe(created.remote.id);
        expect(updated.remote.contact.displayName).toBe(renamed);
      });
      check('contacts.upsert', 'replaying an idempotency key creates nothing', async () => {
        const name = unique('Conformance Replay');
        const item = { idempotencyKey: key('replay'), contact: contact(name) };
        const first = expectOk((await session().contacts.upsert([item]))[0], 'first write');
        const again = expectOk((await session().contacts.upsert([item]))[0], 'replay with the same idempotency key');
        expect(again.remote.id, 'a replay must return the record the first write created').toBe(first.remote.id);
        if (plan.capabilities.search) {
          const found = await session().contacts.search({ kind, text: name, includeInactive: true });
          expect(found.filter((c) => c.contact.displayName === name).map((c) => c.id)).toEqual([first.remote.id]);
        }
      });
    },
    'contacts.duplicate': () => {
      check('contacts.duplicate', 'a display name already in use gives duplicate with the existing id', async () => {
        const name = unique('Conformance Duplicate');
        const existing = await create(name);
        const [result] = await session().contacts.upsert([{ idempotencyKey: key('duplicate'), contact: contact(name) }]);
        expect(result?.ok, 'a second contact with the same name must be refused').toBe(false);
        if (result?.ok !== false) return;
        expect(result.error).toMatchObject({ kind: 'duplicate', existingRemoteId: existing.id });
      });
    },
    'contacts.batch': () => {
      check('contacts.batch', 'a batch with one bad item reports it and keeps the others', async () => {
        const max = displayNameField(connector.fields[kind])?.maxLength ?? 0;
        // Built without Contact.parse: the connector, not the canonical model, must refuse what its provider can't hold.
        const bad = setup.fixtures?.invalidContact ?? { ...contact('x'), displayName: `${'X'.repeat(Math.max(0, max - run.length))}${run}Y` };
        const results = await session().contacts.upsert([
          { idempotencyKey: key('batch-a'), contact: contact(unique('Conformance Batch A')) },
          { idempotencyKey: key('batch-bad'), contact: bad },
          { idempotencyKey: key('batch-b'), contact: contact(unique('Conformance Batch B')) },
        ]);
        expect(results, 'one result per item, in order').toHaveLength(3);
        expect(expectOk(results[0], 'first item').remote.contact.displayName).toBe(unique('Conformance Batch A'));
        expect(results[1]?.ok, 'the bad item must fail').toBe(false);
        if (results[1]?.ok === false) {
          expect(results[1].error.kind).toBe('validation');
          expect(results[1].error.field, 'a validation error names the field at fault').toBeTruthy();
        }
        expect(expectOk(results[2], 'third item').remote.contact.displayName).toBe(unique('Conformance Batch B'));
      });
    },
    'contacts.inactive': () => {
      check('contacts.inactive', 'a contact made inactive remotely comes back with status inactive', async () => {
        const created = await create(unique('Conformance Inactive'));
        await setup.hooks?.makeInactive?.({ kind, id: created.id });
        expect((await session().contacts.get({ kind, id: created.id })).status).toBe('inactive');
        if (plan.capabilities.search) {
          const found = await session().contacts.search({ kind, text: unique('Conformance Inactive'), includeInactive: true });
          expect(found.map((c) => [c.id, c.status])).toContainEqual([created.id, 'inactive']);
        }
      });
    },
    'contacts.archived': () => {
      check('contacts.archived', 'a contact archived remotely comes back with status archived', async () => {
        const created = await create(unique('Conformance Archived'));
        await setup.hooks?.archive?.({ kind, id: created.id });
        expect((await session().contacts.get({ kind, id: created.id })).status).toBe('archived');
      });
    },
    'contacts.merged': () => {
      check('contacts.merged', 'a merged-away contact is never reported active, and names the right survivor when the provider tells it', async () => {
        const loser = await create(unique('Conformance Merged Away'));
        const survivor = await create(unique('Conformance Survivor'));
        await setup.hooks?.merge?.({ kind, loserId: loser.id, survivorId: survivor.id });
        // Some providers (QBO) only say "inactive" on a read and name the survivor in webhooks alone.
        const read = await session()
          .contacts.get({ kind, id: loser.id })
          .then(
            (remote) => ({ status: remote.status, survivorId: remote.mergedIntoId }),
            (error: unknown) => {
              if (isConnectorError(error) && error.kind === 'remote_inactive') return { status: error.reason ?? 'merged', survivorId: error.survivorId };
              if (isConnectorError(error) && error.kind === 'not_found') return { status: 'deleted' as const, survivorId: undefined };
              throw error;
            },
          );
        expect(read.status, 'a merged-away contact must not read as active').not.toBe('active');
        if (read.status === 'merged' || read.survivorId !== undefined) expect(read.survivorId, 'the survivor, when named, is the record it was merged into').toBe(survivor.id);
        const [write] = await session().contacts.upsert([{ idempotencyKey: key('merged-write'), remoteId: loser.id, contact: contact(unique('Conformance Merged Away 2')) }]);
        if (!write) throw new Error('upsert returned no result for the item');
        if (write.ok) {
          expect(write.value.remote.status, 'a write that lands on a merged-away record must report it is not active').not.toBe('active');
        } else {
          expect(write.error.kind, 'a write to a merged-away record fails with remote_inactive or not_found').toMatch(/^(remote_inactive|not_found)$/);
          if (write.error.survivorId !== undefined) expect(write.error.survivorId).toBe(survivor.id);
        }
      });
    },
    'contacts.list': () => {
      const pageSize = 2;
      const readAll = async (checkpoint?: string) => {
        const items: RemoteContact[] = [];
        let next = checkpoint;
        for (let pages = 0; pages < 1000; pages += 1) {
          const page = await session().contacts.list({ kind, pageSize, ...(next !== undefined ? { checkpoint: next } : {}) });
          expect(page.items.length, `a page holds at most pageSize (${pageSize}) items`).toBeLessThanOrEqual(pageSize);
          items.push(...page.items);
          next = page.checkpoint;
          if (!page.hasMore) return { items, checkpoint: page.checkpoint };
        }
        throw new Error('contacts.list returned hasMore for 1000 pages');
      };
      check('contacts.list', 'a checkpoint returns only later changes, across pages', async () => {
        await create(unique('Conformance List A'));
        await create(unique('Conformance List B'));
        await create(unique('Conformance List C'));
        const full = await readAll();
        const ids = full.items.map((c) => c.id);
        expect(new Set(ids).size, 'a full read delivers each contact once').toBe(ids.length);
        expect(ids.length).toBeGreaterThanOrEqual(3);
        const added = await create(unique('Conformance List Later'));
        const changedId = ids[0] ?? '';
        expectOk((await session().contacts.upsert([{ idempotencyKey: key('list-change'), remoteId: changedId, contact: contact(unique('Conformance List Changed')) }]))[0], 'update');
        const later = await readAll(full.checkpoint);
        expect(later.items.map((c) => c.id).sort()).toEqual([added.id, changedId].sort());
        expect(later.items.find((c) => c.id === changedId)?.contact.displayName).toBe(unique('Conformance List Changed'));
        expect((await readAll(later.checkpoint)).items, 'nothing changed since the last checkpoint').toEqual([]);
      });
      check('contacts.list', 'a change made between two pages of a read is not lost', async () => {
        const first = await session().contacts.list({ kind, pageSize });
        expect(first.hasMore, 'the check needs more than one page of contacts').toBe(true);
        const touched = first.items[0];
        if (!touched) throw new Error('the first page is empty');
        const name = unique('Conformance Between Pages');
        expectOk((await session().contacts.upsert([{ idempotencyKey: key('between-pages'), remoteId: touched.id, contact: contact(name) }]))[0], 'update');
        const rest = await readAll(first.checkpoint);
        const next = await readAll(rest.checkpoint);
        const seen = [...rest.items, ...next.items].filter((c) => c.id === touched.id).map((c) => c.contact.displayName);
        expect(seen, 'the changed contact must arrive again, changed, before or after the read ends').toContain(name);
      });
    },
    'errors.rate-limit': () => {
      check('errors.rate-limit', 'a rate-limit answer becomes rate_limited with a usable retry time', async () => {
        await setup.hooks?.injectRateLimit?.();
        const call = plan.capabilities.read
          ? session().contacts.list({ kind, pageSize: 1 })
          : plan.capabilities.search
            ? session().contacts.search({ kind, text: 'a' })
            : session().tenants.list();
        const error = await rejection(call);
        expect(error.kind).toBe('rate_limited');
        expect(error.retryable).toBe(true);
        expect(error.retryAfterSeconds, 'retryAfterSeconds must be a positive number of seconds').toBeGreaterThan(0);
        expect(error.retryAfterSeconds).toBeLessThanOrEqual(86_400);
        if (plan.capabilities.write) {
          await setup.hooks?.injectRateLimit?.();
          const [result] = await session().contacts.upsert([{ idempotencyKey: key('rate-limited'), contact: contact(unique('Conformance Rate Limited')) }]);
          expect(result?.ok === false && result.error.kind, 'a write refused for the rate limit is reported per item').toBe('rate_limited');
        }
        await expect(session().tenants.list(), 'the next call works again').resolves.toBeDefined();
      });
    },
    transactions: () => {
      const type = plan.capabilities.transactionTypes[0] ?? 'invoice';
      const transactionFor = (contactId: string, reference: string) =>
        Transaction.parse(
          setup.fixtures?.transaction?.({ type, contactId, reference }) ?? {
            type,
            issueDate: new Date().toISOString().slice(0, 10),
            currency: 'USD',
            lines: [{ description: 'Conformance line', quantity: 2, unitAmount: 1250, amount: 2500 }],
            total: 2500,
            reference,
          },
        );
      check('transactions', `pushing ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type.replace('_', ' ')}, then replaying its idempotency key, creates one that listForContact returns in minor units`, async () => {
        const transactions = session().transactions;
        if (!transactions) throw new Error(`session.transactions is missing (capabilities.transactionTypes lists ${type})`);
        const customer = await create(unique('Conformance Transactions'));
        const transaction = transactionFor(customer.id, `conf-${run}`);
        const item = { idempotencyKey: key('push'), contactId: customer.id, transaction };
        const [first] = await transactions.push([item]);
        if (!first?.ok) throw new Error(`push failed: ${JSON.stringify(first?.ok === false ? first.error : first)}`);
        expect(first.value.created).toBe(true);
        expect(first.value.remote.contactId).toBe(customer.id);
        expect(first.value.remote.transaction).toMatchObject({ type, currency: transaction.currency, total: transaction.total });
        const [again] = await transactions.push([item]);
        expect(again?.ok && again.value.remote.id, 'a replay must return the transaction the first push created').toBe(first.value.remote.id);
        const listed = await transactions.listForContact({ kind, contactId: customer.id });
        expect(listed.filter((t) => t.id === first.value.remote.id), 'listForContact holds the transaction once').toHaveLength(1);
        const mine = listed.find((t) => t.id === first.value.remote.id);
        expect(Number.isInteger(mine?.transaction.total), 'amounts are integer minor units').toBe(true);
        expect(mine?.transaction.total).toBe(transaction.total);
        expect(mine?.status).toBe(transaction.status);
      });
      check('transactions', 'a batch with a transaction for an unknown contact fails that item and keeps the others', async () => {
        const transactions = session().transactions;
        if (!transactions) throw new Error(`session.transactions is missing (capabilities.transactionTypes lists ${type})`);
        const customer = await create(unique('Conformance Transactions Batch'));
        const unknown = setup.fixtures?.unknownContactId ?? `unknown-${run}`;
        const results = await transactions.push([
          { idempotencyKey: key('push-a'), contactId: customer.id, transaction: transactionFor(customer.id, `conf-a-${run}`) },
          { idempotencyKey: key('push-bad'), contactId: unknown, transaction: transactionFor(unknown, `conf-bad-${run}`) },
          { idempotencyKey: key('push-b'), contactId: customer.id, transaction: transactionFor(customer.id, `conf-b-${run}`) },
        ]);
        expect(results, 'one result per item, in order').toHaveLength(3);
        expect(results[0]?.ok).toBe(true);
        expect(results[1]?.ok === false && results[1].error.kind, 'an unknown contact is validation or not_found').toMatch(/^(validation|not_found)$/);
        expect(results[2]?.ok).toBe(true);
      });
    },
    webhooks: () => {
      check('webhooks', `a correctly signed request is accepted and parsed${plan.capabilities.remoteStatuses.includes('merged') ? ' (merges with their survivor)' : ''}; a wrong signature or a changed body is refused`, async () => {
        const hooks = setup.hooks;
        const webhooks = session().webhooks;
        if (!hooks?.webhookBody || !hooks.signWebhook || !webhooks) throw new Error('session.webhooks is missing (capabilities.inboundWebhooks is true)');
        const id = `wh-${run}`;
        const { rawBody, url } = hooks.webhookBody({ kind, id, operation: 'update' });
        const headers = lower(hooks.signWebhook({ rawBody, url }));
        const ok = (result: boolean | { ok: boolean }) => (typeof result === 'boolean' ? result : result.ok);
        expect(ok(webhooks.verify({ headers, rawBody, url })), 'the right signature must be accepted').toBe(true);
        const other = hooks.webhookBody({ kind, id: `${id}-other`, operation: 'create' });
        const wrong = lower(hooks.signWebhook(other));
        expect(ok(webhooks.verify({ headers: wrong, rawBody, url })), "another body's signature must be refused").toBe(false);
        expect(ok(webhooks.verify({ headers, rawBody: `${rawBody} `, url })), 'a changed body must be refused').toBe(false);
        expect(ok(webhooks.verify({ headers: {}, rawBody, url })), 'a request without a signature must be refused').toBe(false);
        const events = webhooks.parse({ headers, rawBody, url });
        expect(events).toContainEqual(expect.objectContaining({ entity: kind, id, operation: 'update' }));
        for (const event of events) expect(Number.isNaN(Date.parse(event.occurredAt)), 'occurredAt must be an ISO timestamp').toBe(false);
        if (plan.capabilities.remoteStatuses.includes('merged')) {
          const merge = hooks.webhookBody({ kind, id, operation: 'merge', survivorId: `${id}-survivor` });
          const merged = webhooks.parse({ headers: lower(hooks.signWebhook(merge)), rawBody: merge.rawBody, url: merge.url });
          if ((setup.fixtures?.webhookMerge ?? 'merge') === 'merge') {
            expect(merged, 'a merge event names the record merged away and its survivor').toContainEqual(expect.objectContaining({ entity: kind, id, operation: 'merge', survivorId: `${id}-survivor` }));
          } else {
            expect(merged, 'the merged-away record is announced as changed, so the host re-reads it and learns the survivor').toContainEqual(expect.objectContaining({ entity: kind, id, operation: 'update' }));
          }
        }
      });
    },
  };

  describe(`[${connector.id}] conformance with @ledgerlink/connector-sdk ${SDK_VERSION}`, () => {
    beforeAll(async () => {
      connection = await setup.connect();
    }, timeout);
    afterAll(async () => {
      await connection?.close?.();
    });
    for (const planned of plan.checks) registrations[planned.id]();
  });
  return plan;
}

/** Same as describeConformance (the name the SDK documentation used first). */
export const runConformance = describeConformance;

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
