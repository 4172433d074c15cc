import { z } from 'zod';
import { type SandboxRequest, type SandboxResponse, html, json, parseJson, problem, isResponse, parseBody as body } from '../http.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { type StoredNameKind, createNameEntity, renderNameEntity, updateNameEntity } from '../qbo/customers.js';
import { QboFault } from '../qbo/faults.js';
import type { QboCompany } from '../qbo/store.js';
import { FAULT_PROVIDERS, type FaultProvider, FaultSettingsInput } from '../faults.js';
import { MAX_SEED_RECORDS, seedBulk } from '../qbo/bulk-seed.js';
import { registerQboControlRoutes } from '../qbo/control.routes.js';
import { controlPage } from './control-page.js';

const SeedCount = z.number().int().min(0).max(MAX_SEED_RECORDS).optional();
const CreateCompany = z.object({ name: z.string().trim().min(1).max(100), customers: SeedCount, vendors: SeedCount, invoices: SeedCount });
const Rename = z.object({ displayName: z.string().min(1).max(500) });
const AdvanceClock = z.object({ advanceSeconds: z.number().positive().max(10 * 365 * 86_400) });
const Limits = z.object({ enabled: z.boolean().optional(), timeScale: z.number().positive().max(1_000_000).optional() }).strict();

/** A QBO rule broken through the control API, as a short JSON error. */
function faultProblem(fault: QboFault): SandboxResponse {
  const error = fault.errors[0];
  const status = error?.code === '6240' ? 409 : error?.code === '610' ? 404 : 400;
  return json(status, { error: `${error?.Message ?? 'Rejected'}: ${error?.Detail ?? ''}`, qboCode: error?.code });
}

/**
 * The control API under `/_control` (for tests and the control page) and the page itself at `/`.
 * No auth: it listens on loopback and stands for "the other side" of every provider.
 */
export function registerControlRoutes(router: Router, state: SandboxState, baseUrl: () => string): void {
  const withCompany =
    (handler: (company: QboCompany, request: SandboxRequest) => SandboxResponse) =>
    (request: SandboxRequest): SandboxResponse => {
      const company = state.qbo.get(request.params.realmId ?? '');
      if (company === undefined) return problem(404, `No company with realmId ${request.params.realmId ?? ''}; GET /_control/qbo/companies lists them.`);
      try {
        return handler(company, request);
      } catch (error) {
        if (error instanceof QboFault) return faultProblem(error);
        throw error;
      }
    };

  router.on('GET', '/', () => html(200, controlPage(state, baseUrl())));

  router.on('GET', '/_control/qbo/companies', () =>
    json(
      200,
      state.qbo.list().map((company) => ({ realmId: company.realmId, name: company.name, customerCount: company.customers.size })),
    ),
  );

  router.on('POST', '/_control/qbo/companies', (request) => {
    const input = body(CreateCompany, request, '{"name": "Test Company Ltd"}');
    if (isResponse(input)) return input;
    const records = (input.customers ?? 0) + (input.vendors ?? 0) + (input.invoices ?? 0);
    if (records > MAX_SEED_RECORDS) return problem(400, `customers + vendors + invoices: at most ${MAX_SEED_RECORDS} records per company; got ${records}`);
    if ((input.invoices ?? 0) > 0 && (input.customers ?? 0) === 0) return problem(400, 'invoices: send customers too, e.g. {"customers": 100, "invoices": 1000}');
    const company = state.qbo.createCompany({ name: input.name, createdMs: state.clock.now() });
    const seeded = seedBulk(company, input, state.clock.now());
    return json(201, { realmId: company.realmId, name: company.name, seeded });
  });

  for (const [kind, path] of [['Customer', 'customers'], ['Vendor', 'vendors']] as const satisfies readonly (readonly [StoredNameKind, string])[]) {
    router.on(
      'GET',
      `/_control/qbo/companies/:realmId/${path}`,
      withCompany((company) => json(200, [...company.entities(kind).values()].map((record) => renderNameEntity(company, record)))),
    );
    router.on(
      'POST',
      `/_control/qbo/companies/:realmId/${path}`,
      withCompany((company, request) => {
        const record = createNameEntity(company, kind, parseJson(request.body), state.clock.now());
        company.emit(kind, record.id, 'Create', record.updatedMs);
        return json(201, renderNameEntity(company, record));
      }),
    );
  }

  router.on(
    'POST',
    '/_control/qbo/companies/:realmId/customers/:id/inactivate',
    withCompany((company, request) => {
      const record = company.customers.get(request.params.id ?? '');
      if (record === undefined) return problem(404, `Company ${company.realmId} has no customer with Id ${request.params.id ?? ''}`);
      if (record.fields.Active === false) return json(200, renderNameEntity(company, record));
      const updated = updateNameEntity(company, 'Customer', { Id: record.id, SyncToken: String(record.syncToken), sparse: true, Active: false }, state.clock.now());
      company.emit('Customer', updated.id, 'Update', updated.updatedMs);
      return json(200, renderNameEntity(company, updated));
    }),
  );

  router.on(
    'POST',
    '/_control/qbo/companies/:realmId/customers/:id/rename',
    withCompany((company, request) => {
      const input = body(Rename, request, '{"displayName": "New Name Ltd"}');
      if (isResponse(input)) return input;
      const record = company.customers.get(request.params.id ?? '');
      if (record === undefined) return problem(404, `Company ${company.realmId} has no customer with Id ${request.params.id ?? ''}`);
      const updated = updateNameEntity(
        company,
        'Customer',
        { Id: record.id, SyncToken: String(record.syncToken), sparse: true, DisplayName: input.displayName },
        state.clock.now(),
      );
      company.emit('Customer', updated.id, 'Update', updated.updatedMs);
      return json(200, renderNameEntity(company, updated));
    }),
  );

  router.on('GET', '/_control/requests', (request) => {
    const raw = request.url.searchParams.get('limit') ?? '100';
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) return problem(400, `limit must be a whole number from 1 to 5000; got ${raw}`);
    return json(200, state.log.recent(limit));
  });

  router.on('POST', '/_control/reset', () => {
    state.reset();
    return json(200, { reset: true, seeded: state.seedDemo, companies: state.qbo.list().map((c) => ({ realmId: c.realmId, name: c.name })) });
  });

  router.on('GET', '/_control/clock', () => json(200, { now: new Date(state.clock.now()).toISOString() }));
  router.on('POST', '/_control/clock', (request) => {
    const input = body(AdvanceClock, request, '{"advanceSeconds": 3600}');
    if (isResponse(input)) return input;
    state.clock.advance(input.advanceSeconds * 1000);
    return json(200, { now: new Date(state.clock.now()).toISOString() });
  });

  router.on('GET', '/_control/limits', () => json(200, state.limits.toJSON()));
  router.on('POST', '/_control/limits', (request) => {
    const input = body(Limits, request, '{"enabled": false} or {"timeScale": 60}');
    if (isResponse(input)) return input;
    state.limits.update(input);
    return json(200, state.limits.toJSON());
  });

  router.on('GET', '/_control/faults', () => json(200, state.faults.all()));
  router.on('POST', '/_control/faults/:provider', (request) => {
    const provider = request.params.provider ?? '';
    if (!(FAULT_PROVIDERS as readonly string[]).includes(provider)) {
      return problem(404, `provider must be one of ${FAULT_PROVIDERS.join(', ')}; got ${provider}`);
    }
    const input = body(FaultSettingsInput, request, '{"errorRate": 0.1, "latencyMs": 0, "burst429": 3, "timeoutAfterCommitRate": 0, "tokenExpired": false, "seed": 7}');
    if (isResponse(input)) return input;
    return json(200, state.faults.set(provider as FaultProvider, input));
  });

  registerQboControlRoutes(router, state);
}
