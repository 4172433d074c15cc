import { createHash, randomUUID } from 'node:crypto';
import { delay } from '../faults.js';
import { type SandboxRequest, type SandboxResponse, headerValue, json, parseJson } from '../http.js';
import { type Json, type JsonObject, isJsonObject } from '../json.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { dropConnection } from '../server.js';
import { type ContactContext, type ContactRoles, contactBalances, contactFilterRecord, contactMatchesSearch, contactRoles, createContact, renderContact, upsertContact } from './contacts.js';
import { ElementError, XeroError, XeroErrors, ZERO_GUID, validationErrors } from './errors.js';
import {
  allocateCreditNote,
  createCreditNote,
  createInvoice,
  createPayment,
  deletePayment,
  documentFilterRecord,
  paymentFilterRecord,
  renderCreditNote,
  renderInvoice,
  renderPayment,
  upsertCreditNote,
  upsertInvoice,
} from './invoices.js';
import { acquireXeroLimits } from './limits.js';
import { type XeroCaller, authenticateXero, errorResponse } from './oauth.routes.js';
import type { XeroOrganisation } from './store.js';
import { type FilterRecord, type FilterValue, WhereSyntaxError, checkWherePaths, matchesWhere, parseWhere } from './where.js';
import { msDate, msDateNoZone, parseIfModifiedSince } from './xero-date.js';
import { toXeroXml, wantsJson } from './xml.js';

export const XERO_API_PREFIX = '/xero/api.xro/2.0';
/** How long an Idempotency-Key's first response is replayed (xero-api.md §1.7, third-party figure). */
export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;
const MAX_IDEMPOTENCY_KEY = 128;
const PROVIDER_NAME = 'Ledgerlink (development)';

interface ApiCall {
  readonly request: SandboxRequest;
  readonly org: XeroOrganisation;
  readonly caller: XeroCaller;
  readonly ctx: ContactContext;
}

interface OperationResult {
  readonly status?: number;
  readonly body: JsonObject;
}
type Operation = (call: ApiCall) => OperationResult;

/**
 * Turns a JSON answer of the Accounting API into Xero's XML when the client did not ask for JSON
 * (problem-details from the gateway — 401, 403, 429 — and plain-text bodies stay as they are).
 */
function negotiate(request: SandboxRequest, response: SandboxResponse): SandboxResponse {
  if (wantsJson(headerValue(request.headers.accept)) || typeof response.body !== 'object' || response.body === null) return response;
  const body = response.body as Json;
  if (!isJsonObject(body) || (!('ErrorNumber' in body) && !('Id' in body))) return response;
  return { ...response, headers: { ...response.headers, 'content-type': 'text/xml; charset=utf-8' }, body: toXeroXml(body) };
}

/** Scopes that let a call through: any one of them. */
const SCOPES = {
  contactsRead: ['accounting.contacts', 'accounting.contacts.read'],
  contactsWrite: ['accounting.contacts'],
  invoicesRead: ['accounting.transactions', 'accounting.transactions.read', 'accounting.invoices', 'accounting.invoices.read'],
  invoicesWrite: ['accounting.transactions', 'accounting.invoices'],
  paymentsRead: ['accounting.transactions', 'accounting.transactions.read', 'accounting.payments', 'accounting.payments.read'],
  paymentsWrite: ['accounting.transactions', 'accounting.payments'],
  settingsRead: ['accounting.settings', 'accounting.settings.read'],
} as const;

function envelope(body: JsonObject, now: number): JsonObject {
  return { Id: randomUUID(), Status: 'OK', ProviderName: PROVIDER_NAME, DateTimeUTC: msDateNoZone(now), ...body };
}

function fingerprint(request: SandboxRequest, tenantId: string): string {
  return createHash('sha256').update(`${request.method}\n${request.url.pathname.toLowerCase()}${request.url.search}\n${tenantId.toLowerCase()}\n${request.body}`).digest('hex');
}

/** Reads a boolean query parameter (`true`/`false`, any case); undefined when absent. */
function boolParam(request: SandboxRequest, name: string): boolean | undefined {
  const value = request.url.searchParams.get(name);
  if (value === null) return undefined;
  return value.toLowerCase() === 'true';
}

/** The elements of a write body: `{"<Collection>": [...]}` or a single bare object. */
function elementsOf(request: SandboxRequest, collection: string, entity: string): JsonObject[] {
  const body = parseJson(request.body);
  if (!isJsonObject(body)) throw XeroErrors.noData(entity);
  const list = body[collection];
  if (Array.isArray(list)) {
    const elements = list.filter(isJsonObject);
    if (elements.length === 0) throw XeroErrors.noData(entity);
    return elements;
  }
  if (Object.keys(body).length === 0) throw XeroErrors.noData(entity);
  return [body];
}

interface BatchSpec {
  readonly collection: string;
  readonly entity: string;
  readonly idField: string;
  readonly errorFlag: 'HasValidationErrors' | 'HasErrors';
}

/**
 * Runs each element; with `summarizeErrors=false` answers 200 with every element marked OK or
 * ERROR; otherwise answers 400 ValidationException with only the failed elements — the valid
 * ones are committed all the same (xero-api.md §4).
 */
function batch(call: ApiCall, spec: BatchSpec, process: (element: JsonObject) => () => JsonObject): OperationResult {
  const elements = elementsOf(call.request, spec.collection, spec.entity);
  const summarize = boolParam(call.request, 'summarizeErrors') !== false;
  const outcomes: { ok: boolean; render?: () => JsonObject; failed?: JsonObject }[] = [];
  for (const element of elements) {
    try {
      outcomes.push({ ok: true, render: process(element) });
    } catch (error) {
      if (!(error instanceof ElementError)) throw error;
      const id = element[spec.idField];
      outcomes.push({
        ok: false,
        failed: { ...element, [spec.idField]: typeof id === 'string' && id !== '' ? id : ZERO_GUID, [spec.errorFlag]: true, ValidationErrors: validationErrors(error.messages) },
      });
    }
  }
  if (summarize) {
    const failed = outcomes.filter((o) => !o.ok).map((o) => o.failed ?? {});
    if (failed.length > 0) throw XeroErrors.validation(failed);
    return { body: { [spec.collection]: outcomes.map((o) => o.render?.() ?? {}) } };
  }
  return {
    body: {
      [spec.collection]: outcomes.map((o) =>
        o.ok ? { ...(o.render?.() ?? {}), StatusAttributeString: 'OK' } : { ...(o.failed ?? {}), StatusAttributeString: 'ERROR' },
      ),
    },
  };
}

interface ListSpec<T> {
  readonly entity: string;
  readonly items: readonly T[];
  readonly record: (item: T) => FilterRecord;
  readonly updatedMs: (item: T) => number;
  readonly defaultOrder: string;
  readonly search?: (item: T, term: string) => boolean;
  readonly extraFilter?: (item: T) => boolean;
}

function orderValue(value: FilterValue): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return 'ms' in value && typeof value.ms === 'number' ? value.ms : '';
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** Filters (`where`, `IDs`-style extras, `searchTerm`, `If-Modified-Since`), orders and pages a list. */
function list<T>(request: SandboxRequest, spec: ListSpec<T>): { page: T[]; paged: boolean; pagination?: JsonObject } {
  const params = request.url.searchParams;
  let records = spec.items.map((item) => ({ item, record: spec.record(item) }));
  const where = params.get('where');
  if (where !== null && where.trim() !== '') {
    let expr;
    try {
      expr = parseWhere(where);
      const example = records[0]?.record;
      if (example !== undefined) checkWherePaths(expr, example, spec.entity);
    } catch (error) {
      if (error instanceof WhereSyntaxError) throw XeroErrors.queryParse(error.message);
      throw error;
    }
    const parsed = expr;
    records = records.filter(({ record }) => matchesWhere(parsed, record));
  }
  if (spec.extraFilter !== undefined) records = records.filter(({ item }) => spec.extraFilter?.(item) === true);
  const term = params.get('searchTerm');
  if (term !== null && term !== '' && spec.search !== undefined) records = records.filter(({ item }) => spec.search?.(item, term) === true);
  const since = headerValue(request.headers['if-modified-since']);
  if (since !== undefined && since.trim() !== '') {
    const sinceMs = parseIfModifiedSince(since);
    if (sinceMs === undefined) {
      throw XeroErrors.requestValidation(`If-Modified-Since must be a UTC timestamp such as 2024-01-31T09:30:00 or 2024-01-31T09:30:00.000Z; got ${since}`);
    }
    records = records.filter(({ item }) => spec.updatedMs(item) >= sinceMs);
  }
  const order = (params.get('order') ?? '').trim() || spec.defaultOrder;
  const keys = order.split(',').map((part) => {
    const [field = '', direction = 'ASC'] = part.trim().split(/\s+/);
    return { path: field.split('.'), desc: direction.toUpperCase() === 'DESC' };
  });
  const read = (record: FilterRecord, path: readonly string[]): FilterValue => {
    let current: FilterValue = record;
    for (const segment of path) {
      if (typeof current !== 'object' || current === null) return undefined;
      const key: string | undefined = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
      current = key === undefined ? undefined : (current as FilterRecord)[key];
    }
    return current;
  };
  records.sort((a, b) => {
    for (const key of keys) {
      const x = orderValue(read(a.record, key.path));
      const y = orderValue(read(b.record, key.path));
      if (x < y) return key.desc ? 1 : -1;
      if (x > y) return key.desc ? -1 : 1;
    }
    return 0;
  });
  const pageParam = params.get('page');
  if (pageParam === null) return { page: records.map((r) => r.item), paged: false };
  const page = Math.max(1, Number.parseInt(pageParam, 10) || 1);
  const requestedSize = Number.parseInt(params.get('pageSize') ?? '100', 10) || 100;
  const pageSize = Math.min(1000, Math.max(1, requestedSize));
  const itemCount = records.length;
  return {
    page: records.slice((page - 1) * pageSize, page * pageSize).map((r) => r.item),
    paged: true,
    pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
  };
}

function idsParam(request: SandboxRequest, name: string): Set<string> | undefined {
  const raw = request.url.searchParams.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  return new Set(raw.split(',').map((id) => id.trim().toLowerCase()).filter((id) => id !== ''));
}

function unitdp(request: SandboxRequest): 2 | 4 {
  return request.url.searchParams.get('unitdp') === '4' ? 4 : 2;
}

/** The Xero Accounting API under `/xero/api.xro/2.0`. */
export function registerXeroApiRoutes(router: Router, state: SandboxState): void {
  const api =
    (scopes: readonly string[], operation: Operation, options: { write?: boolean } = {}) =>
    async (request: SandboxRequest): Promise<SandboxResponse> => {
      const decision = state.faults.decide('xero');
      const arrived = state.clock.now();
      const correlation = { 'xero-correlation-id': randomUUID(), 'cache-control': 'max-age=0, no-cache, no-store', pragma: 'no-cache' };
      let caller: XeroCaller;
      let org: XeroOrganisation;
      try {
        if (decision.fault === 'tokenExpired') {
          const at = new Date(arrived);
          throw XeroErrors.unauthorized(`TokenExpired: token expired at ${String(at.getUTCMonth() + 1).padStart(2, '0')}/${String(at.getUTCDate()).padStart(2, '0')}/${at.getUTCFullYear()} ${at.toISOString().slice(11, 19)}`);
        }
        caller = authenticateXero(state, request);
        const tenantId = headerValue(request.headers['xero-tenant-id'])?.trim() ?? '';
        const found = tenantId === '' ? undefined : state.xero.get(tenantId);
        if (found === undefined || !state.xeroOAuth.isConnected(caller.clientId, found.tenantId)) throw XeroErrors.forbidden('AuthenticationUnsuccessful');
        org = found;
        if (!scopes.some((scope) => caller.scopes.includes(scope))) throw XeroErrors.unauthorized('AuthorizationUnsuccessful');
      } catch (error) {
        if (error instanceof XeroError) return errorResponse(error, correlation);
        throw error;
      }
      const verdict = acquireXeroLimits(state.xeroLimits, caller.clientId, org.tenantId);
      if (!verdict.ok || decision.fault === 'throttle') {
        const problem = verdict.ok ? 'minute' : verdict.problem;
        const retryAfter = verdict.ok ? 60 : verdict.retryAfterSeconds;
        if (verdict.ok) verdict.release();
        return errorResponse(
          XeroErrors.rateLimited(`The API rate limit for your organisation/application pairing has been exceeded (${problem}). Please try again in ${retryAfter} seconds.`),
          { ...correlation, ...verdict.headers, 'Retry-After': String(retryAfter), 'X-Rate-Limit-Problem': problem },
        );
      }
      try {
        // Injected latency is time spent inside Xero, so the call holds its concurrency slot meanwhile.
        await delay(decision.latencyMs);
        const now = state.clock.now();
        if (decision.fault === 'error500') {
          return json(500, { ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.' }, { ...correlation, ...verdict.headers });
        }
        if (decision.fault === 'error503') return { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', ...correlation, ...verdict.headers }, body: 'The Xero API is currently offline for maintenance' };
        const idempotencyKey = options.write === true ? headerValue(request.headers['idempotency-key']) : undefined;
        let memoKey: string | undefined;
        let print: string | undefined;
        if (idempotencyKey !== undefined && idempotencyKey !== '') {
          if (idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
            return errorResponse(XeroErrors.requestValidation(`Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters; got ${idempotencyKey.length}.`), { ...correlation, ...verdict.headers });
          }
          memoKey = `${caller.clientId}:${idempotencyKey}`;
          print = fingerprint(request, org.tenantId);
          const earlier = state.xero.idempotency.get(memoKey);
          if (earlier !== undefined && earlier.expiresMs > now) {
            if (earlier.fingerprint !== print) {
              return errorResponse(XeroErrors.requestValidation(`Idempotency Key ${idempotencyKey} is used with a different request. Use a new key for a different request.`), { ...correlation, ...verdict.headers });
            }
            return negotiate(request, { ...earlier.response, headers: { ...earlier.response.headers, ...correlation, ...verdict.headers } });
          }
        }
        let response: SandboxResponse;
        try {
          const result = operation({ request, org, caller, ctx: { org, store: state.xero, now } });
          response = json(result.status ?? 200, envelope(result.body, now), { ...correlation });
        } catch (error) {
          if (!(error instanceof XeroError)) throw error;
          response = errorResponse(error, correlation);
        }
        if (memoKey !== undefined && print !== undefined) state.xero.idempotency.set(memoKey, { fingerprint: print, response, expiresMs: now + IDEMPOTENCY_WINDOW_MS });
        const sent = negotiate(request, { ...response, headers: { ...response.headers, ...verdict.headers } });
        if (options.write === true && response.status < 300 && state.faults.dropAfterCommit('xero')) return dropConnection(sent);
        return sent;
      } finally {
        verdict.release();
      }
    };

  const base = XERO_API_PREFIX;

  // Contacts
  const getContacts: Operation = ({ request, org, ctx }) => {
    const roles = contactRoles(org);
    const includeArchived = boolParam(request, 'includeArchived') === true;
    const ids = idsParam(request, 'IDs');
    const summaryOnly = boolParam(request, 'summaryOnly') === true;
    const result = list(request, {
      entity: 'Contact',
      items: [...org.contacts.values()],
      record: (c) => contactFilterRecord(c, roles),
      updatedMs: (c) => c.updatedMs,
      defaultOrder: 'Name ASC',
      search: contactMatchesSearch,
      extraFilter: (c) => (includeArchived || c.status !== 'ARCHIVED') && (ids === undefined || ids.has(c.id)),
    });
    const body: JsonObject = {
      Contacts: result.page.map((c) => renderContact(c, roles, { detailed: result.paged, summaryOnly, ...(result.paged ? { balances: contactBalances(org, c.id, ctx.now) } : {}) })),
    };
    if (result.pagination !== undefined) body.pagination = result.pagination;
    return { body };
  };
  const getContact: Operation = ({ request, org, ctx }) => {
    const key = request.params.id ?? '';
    const contact = org.contacts.get(key.toLowerCase()) ?? org.findContactByNumber(key);
    if (contact === undefined) throw XeroErrors.notFound();
    return { body: { Contacts: [renderContact(contact, contactRoles(org), { detailed: true, balances: contactBalances(org, contact.id, ctx.now) })] } };
  };
  const contactBatch = (mode: 'create' | 'upsert', pathId?: (r: SandboxRequest) => string): Operation => (call) => {
    // Rendering happens after the whole batch ran; the roles are computed once for all elements.
    let roles: ContactRoles | undefined;
    return batch(call, { collection: 'Contacts', entity: 'Contact', idField: 'ContactID', errorFlag: 'HasValidationErrors' }, (element) => {
      const contact = mode === 'create' ? createContact(call.ctx, element) : upsertContact(call.ctx, element, pathId?.(call.request));
      return () => renderContact(contact, (roles ??= contactRoles(call.org)), { detailed: false });
    });
  };
  router.on('GET', `${base}/Contacts`, api(SCOPES.contactsRead, getContacts));
  router.on('PUT', `${base}/Contacts`, api(SCOPES.contactsWrite, contactBatch('create'), { write: true }));
  router.on('POST', `${base}/Contacts`, api(SCOPES.contactsWrite, contactBatch('upsert'), { write: true }));
  router.on('GET', `${base}/Contacts/:id`, api(SCOPES.contactsRead, getContact));
  router.on('POST', `${base}/Contacts/:id`, api(SCOPES.contactsWrite, contactBatch('upsert', (r) => r.params.id ?? ''), { write: true }));

  // Invoices
  const getInvoices: Operation = ({ request, org }) => {
    const roles = contactRoles(org);
    const ids = idsParam(request, 'IDs');
    const numbers = idsParam(request, 'InvoiceNumbers');
    const contactIds = idsParam(request, 'ContactIDs');
    const statuses = idsParam(request, 'Statuses');
    const result = list(request, {
      entity: 'Invoice',
      items: [...org.invoices.values()],
      record: (i) => documentFilterRecord(org, i),
      updatedMs: (i) => i.updatedMs,
      defaultOrder: 'UpdatedDateUTC ASC, InvoiceID ASC',
      search: (i, term) => [i.number, i.reference ?? ''].some((v) => v.toLowerCase().includes(term.toLowerCase())),
      extraFilter: (i) =>
        (ids === undefined || ids.has(i.id)) &&
        (numbers === undefined || numbers.has(i.number.toLowerCase())) &&
        (contactIds === undefined || contactIds.has(i.contactId)) &&
        (statuses === undefined || statuses.has(i.status.toLowerCase())),
    });
    const body: JsonObject = { Invoices: result.page.map((i) => renderInvoice(org, i, { withLines: result.paged, unitdp: unitdp(request), roles })) };
    if (result.pagination !== undefined) body.pagination = result.pagination;
    return { body };
  };
  const getInvoice: Operation = ({ request, org }) => {
    const key = (request.params.id ?? '').toLowerCase();
    const invoice = org.invoices.get(key) ?? [...org.invoices.values()].find((i) => i.number.toLowerCase() === key);
    if (invoice === undefined) throw XeroErrors.notFound();
    return { body: { Invoices: [renderInvoice(org, invoice, { withLines: true, unitdp: unitdp(request), roles: contactRoles(org) })] } };
  };
  const invoiceBatch = (mode: 'create' | 'upsert', pathId?: (r: SandboxRequest) => string): Operation => (call) => {
    let roles: ContactRoles | undefined;
    return batch(call, { collection: 'Invoices', entity: 'Invoice', idField: 'InvoiceID', errorFlag: 'HasErrors' }, (element) => {
      const invoice = mode === 'create' ? createInvoice(call.ctx, element) : upsertInvoice(call.ctx, element, pathId?.(call.request));
      return () => renderInvoice(call.org, invoice, { withLines: true, unitdp: unitdp(call.request), roles: (roles ??= contactRoles(call.org)) });
    });
  };
  router.on('GET', `${base}/Invoices`, api(SCOPES.invoicesRead, getInvoices));
  router.on('PUT', `${base}/Invoices`, api(SCOPES.invoicesWrite, invoiceBatch('create'), { write: true }));
  router.on('POST', `${base}/Invoices`, api(SCOPES.invoicesWrite, invoiceBatch('upsert'), { write: true }));
  router.on('GET', `${base}/Invoices/:id`, api(SCOPES.invoicesRead, getInvoice));
  router.on('POST', `${base}/Invoices/:id`, api(SCOPES.invoicesWrite, invoiceBatch('upsert', (r) => r.params.id ?? ''), { write: true }));

  // Credit notes
  const getCreditNotes: Operation = ({ request, org }) => {
    const roles = contactRoles(org);
    const result = list(request, {
      entity: 'CreditNote',
      items: [...org.creditNotes.values()],
      record: (n) => documentFilterRecord(org, n),
      updatedMs: (n) => n.updatedMs,
      defaultOrder: 'UpdatedDateUTC ASC, CreditNoteID ASC',
    });
    const body: JsonObject = { CreditNotes: result.page.map((n) => renderCreditNote(org, n, { withLines: true, unitdp: unitdp(request), roles })) };
    if (result.pagination !== undefined) body.pagination = result.pagination;
    return { body };
  };
  const getCreditNote: Operation = ({ request, org }) => {
    const key = (request.params.id ?? '').toLowerCase();
    const note = org.creditNotes.get(key) ?? [...org.creditNotes.values()].find((n) => n.number.toLowerCase() === key);
    if (note === undefined) throw XeroErrors.notFound();
    return { body: { CreditNotes: [renderCreditNote(org, note, { withLines: true, unitdp: unitdp(request), roles: contactRoles(org) })] } };
  };
  const creditBatch = (mode: 'create' | 'upsert', pathId?: (r: SandboxRequest) => string): Operation => (call) =>
    batch(call, { collection: 'CreditNotes', entity: 'CreditNote', idField: 'CreditNoteID', errorFlag: 'HasErrors' }, (element) => {
      const note = mode === 'create' ? createCreditNote(call.ctx, element) : upsertCreditNote(call.ctx, element, pathId?.(call.request));
      return () => renderCreditNote(call.org, note, { withLines: true, unitdp: unitdp(call.request), roles: contactRoles(call.org) });
    });
  const allocations: Operation = (call) => {
    const note = call.org.creditNotes.get((call.request.params.id ?? '').toLowerCase());
    if (note === undefined) throw XeroErrors.notFound();
    return batch(call, { collection: 'Allocations', entity: 'Allocation', idField: 'AllocationID', errorFlag: 'HasErrors' }, (element) => {
      const rendered = allocateCreditNote(call.ctx, note, element);
      return () => rendered;
    });
  };
  router.on('GET', `${base}/CreditNotes`, api(SCOPES.invoicesRead, getCreditNotes));
  router.on('PUT', `${base}/CreditNotes`, api(SCOPES.invoicesWrite, creditBatch('create'), { write: true }));
  router.on('POST', `${base}/CreditNotes`, api(SCOPES.invoicesWrite, creditBatch('upsert'), { write: true }));
  router.on('GET', `${base}/CreditNotes/:id`, api(SCOPES.invoicesRead, getCreditNote));
  router.on('POST', `${base}/CreditNotes/:id`, api(SCOPES.invoicesWrite, creditBatch('upsert', (r) => r.params.id ?? ''), { write: true }));
  router.on('PUT', `${base}/CreditNotes/:id/Allocations`, api(SCOPES.invoicesWrite, allocations, { write: true }));

  // Payments
  const getPayments: Operation = ({ request, org }) => {
    const result = list(request, {
      entity: 'Payment',
      items: [...org.payments.values()],
      record: (p) => paymentFilterRecord(org, p),
      updatedMs: (p) => p.updatedMs,
      defaultOrder: 'UpdatedDateUTC ASC, PaymentID ASC',
    });
    const body: JsonObject = { Payments: result.page.map((p) => renderPayment(org, p)) };
    if (result.pagination !== undefined) body.pagination = result.pagination;
    return { body };
  };
  const getPayment: Operation = ({ request, org }) => {
    const payment = org.payments.get((request.params.id ?? '').toLowerCase());
    if (payment === undefined) throw XeroErrors.notFound();
    return { body: { Payments: [renderPayment(org, payment)] } };
  };
  const paymentBatch: Operation = (call) =>
    batch(call, { collection: 'Payments', entity: 'Payment', idField: 'PaymentID', errorFlag: 'HasValidationErrors' }, (element) => {
      const payment = createPayment(call.ctx, element);
      return () => renderPayment(call.org, payment);
    });
  const paymentDelete: Operation = (call) => {
    const payment = call.org.payments.get((call.request.params.id ?? '').toLowerCase());
    if (payment === undefined) throw XeroErrors.notFound();
    return batch(call, { collection: 'Payments', entity: 'Payment', idField: 'PaymentID', errorFlag: 'HasValidationErrors' }, (element) => {
      const updated = deletePayment(call.ctx, payment, element);
      return () => renderPayment(call.org, updated);
    });
  };
  router.on('GET', `${base}/Payments`, api(SCOPES.paymentsRead, getPayments));
  router.on(['PUT', 'POST'], `${base}/Payments`, api(SCOPES.paymentsWrite, paymentBatch, { write: true }));
  router.on('GET', `${base}/Payments/:id`, api(SCOPES.paymentsRead, getPayment));
  router.on('POST', `${base}/Payments/:id`, api(SCOPES.paymentsWrite, paymentDelete, { write: true }));

  // Organisation (xero-node's updateTenants() reads it for every tenant)
  router.on(
    'GET',
    `${base}/Organisation`,
    api(SCOPES.settingsRead, ({ org }) => ({
      body: {
        Organisations: [
          {
            APIKey: '',
            Name: org.name,
            LegalName: org.name,
            PaysTax: true,
            Version: org.version,
            OrganisationType: 'COMPANY',
            BaseCurrency: org.baseCurrency,
            CountryCode: org.countryCode,
            IsDemoCompany: false,
            OrganisationStatus: 'ACTIVE',
            FinancialYearEndDay: 30,
            FinancialYearEndMonth: 6,
            SalesTaxBasis: 'ACCRUALS',
            SalesTaxPeriod: 'QUARTERLY1',
            DefaultSalesTax: 'Tax Exclusive',
            DefaultPurchasesTax: 'Tax Exclusive',
            CreatedDateUTC: msDate(org.createdMs),
            OrganisationEntityType: 'COMPANY',
            Timezone: org.timezone,
            ShortCode: org.shortCode,
            OrganisationID: org.tenantId,
            Edition: 'BUSINESS',
            Class: 'PREMIUM',
            Addresses: [],
            Phones: [],
            ExternalLinks: [],
            PaymentTerms: {},
          },
        ],
      },
    })),
  );

  // Anything else under the API: Xero's plain-text 404.
  const notFound: Operation = () => {
    throw XeroErrors.notFound();
  };
  router.on(['GET', 'PUT', 'POST', 'DELETE'], `${base}/:entity`, api([...SCOPES.contactsRead, ...SCOPES.invoicesRead, ...SCOPES.settingsRead], notFound));
  router.on(['GET', 'PUT', 'POST', 'DELETE'], `${base}/:entity/:id`, api([...SCOPES.contactsRead, ...SCOPES.invoicesRead, ...SCOPES.settingsRead], notFound));
}
