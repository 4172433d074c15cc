import { type SandboxRequest, type SandboxResponse, bearerToken, json, parseJson } from '../http.js';
import type { JsonObject } from '../json.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { delay } from '../faults.js';
import type { WindowRule } from '../limits.js';
import { dropConnection } from '../server.js';
import { runBatch } from './batch.js';
import { changeDataCapture } from './cdc.js';
import { renderCompanyInfo } from './company-info.js';
import { type EntityKind, type WriteOperation, entityKind, readEntity, writeEntity } from './entities.js';
import { QboFault, QboFaults } from './faults.js';
import { intuitTid } from './oauth.routes.js';
import { formatQboTime } from './qbo-time.js';
import { executeQuery } from './query-executor.js';
import { parseQuery } from './query-parser.js';
import type { QboCompany } from './store.js';

/** `requestid` longer than this is refused (Intuit: 50 characters for everything but batch). */
const MAX_REQUEST_ID = 50;
/** A batch's `requestid` may have at most 36 characters. */
const MAX_BATCH_REQUEST_ID = 36;

/** Intuit's limits per realm: 500 requests a minute, 10 at once; batch also 40 a minute. */
export const QBO_REALM_RULES: readonly WindowRule[] = [{ id: 'realm-per-minute', limit: 500, windowMs: 60_000 }];
export const QBO_BATCH_RULES: readonly WindowRule[] = [...QBO_REALM_RULES, { id: 'batch-per-minute', limit: 40, windowMs: 60_000 }];
export const QBO_CONCURRENCY = { id: 'realm-concurrent', max: 10 } as const;
/** Intuit: "10 requests per second per realm ID and app" (enforced when the company's setting says so). */
export const QBO_PER_SECOND_RULE: WindowRule = { id: 'realm-per-second', limit: 10, windowMs: 1_000 };
const DEFAULT_ZONE = 'America/Los_Angeles';

interface ApiCall {
  readonly request: SandboxRequest;
  readonly company: QboCompany;
  readonly now: number;
}

/** A QBO API operation: answers the entity payload (without `time`) or throws a QboFault. */
type Operation = (call: ApiCall) => JsonObject;

function respond(status: number, body: JsonObject): SandboxResponse {
  return json(status, body, { intuit_tid: intuitTid() });
}

function faultResponse(fault: QboFault, timeZone: string, now: number, extra: Record<string, string> = {}): SandboxResponse {
  const headers: Record<string, string> = { intuit_tid: intuitTid(), ...extra };
  if (fault.status === 401) headers['www-authenticate'] = 'Bearer realm="Intuit", error="invalid_token"';
  return json(fault.status, fault.toBody(formatQboTime(now, timeZone, true)), headers);
}

const TOKEN_PROBLEMS = {
  unknown: 'Token invalid: the access token was not issued by this sandbox (or the sandbox restarted). Authorize again.',
  expired: 'Token expired: access tokens live 3600 seconds. Use the refresh token to get a new one.',
  revoked: 'Token revoked: the app was disconnected from this company. Authorize again.',
} as const;

/**
 * The QuickBooks Online Accounting API v3 under `/qbo/v3/company/:realmId/…`: bearer auth bound to
 * the realm, injected faults, per-realm limits (429 / 3001), `requestid` replay for writes, faults
 * in Intuit's envelope, `time` on every body, `intuit_tid` on every response.
 */
export function registerQboApiRoutes(router: Router, state: SandboxState): void {
  const api =
    (operation: Operation, options: { idempotent?: boolean; batch?: boolean; write?: boolean } = {}) =>
    async (request: SandboxRequest): Promise<SandboxResponse> => {
      const now = state.clock.now();
      const token = bearerToken(request);
      if (token === undefined) {
        return faultResponse(
          QboFaults.authenticationFailed('Authorization header is missing or is not a Bearer token: send Authorization: Bearer <access_token>.'),
          DEFAULT_ZONE,
          now,
        );
      }
      const check = state.qboOAuth.checkAccessToken(token);
      if (!check.ok) return faultResponse(QboFaults.authenticationFailed(TOKEN_PROBLEMS[check.reason]), DEFAULT_ZONE, now);
      const realmId = request.params.realmId ?? '';
      const company = state.qbo.get(realmId);
      if (company === undefined || check.realmId !== realmId) {
        return faultResponse(
          QboFaults.authorizationFailed(`This access token is not authorized for company ${realmId}; it was issued for ${check.realmId ?? 'no company'}.`),
          DEFAULT_ZONE,
          now,
        );
      }
      const decision = state.faults.decide('qbo');
      if (decision.fault === 'tokenExpired') return faultResponse(QboFaults.authenticationFailed(TOKEN_PROBLEMS.expired), company.timeZone, now);
      if (decision.fault === 'throttle') return faultResponse(QboFaults.throttled(), company.timeZone, now, { 'retry-after': '60' });
      const baseRules = options.batch === true ? QBO_BATCH_RULES : QBO_REALM_RULES;
      const rules = company.requestsPerSecond === 'enforce' ? [...baseRules, QBO_PER_SECOND_RULE] : baseRules;
      const verdict = state.qboLimits.acquire(realmId, rules, QBO_CONCURRENCY);
      if (!verdict.ok) {
        const detail =
          verdict.ruleId === QBO_CONCURRENCY.id
            ? `The request limit was reached.  Try again later (more than ${QBO_CONCURRENCY.max} concurrent requests for this company)`
            : `The request limit was reached.  Try again later (${verdict.ruleId})`;
        return faultResponse(QboFaults.throttled(detail), company.timeZone, now, { 'retry-after': String(verdict.retryAfterSeconds) });
      }
      try {
        await delay(decision.latencyMs);
        if (decision.fault === 'error500' || decision.fault === 'error503') {
          return faultResponse(QboFaults.serviceError(decision.fault === 'error500' ? 500 : 503), company.timeZone, now);
        }
        const requestId = request.url.searchParams.get('requestid');
        const maxRequestId = options.batch === true ? MAX_BATCH_REQUEST_ID : MAX_REQUEST_ID;
        if (requestId !== null && requestId.length > maxRequestId) {
          return faultResponse(
            QboFaults.businessValidation(
              `You cannot enter more than ${maxRequestId} characters in the request_id field. You tried entering ${requestId.slice(0, 10)}..., which is ${requestId.length} characters.`,
              'requestid',
            ),
            company.timeZone,
            now,
          );
        }
        const remember = requestId !== null && requestId !== '' && options.idempotent === true;
        if (remember) {
          const earlier = company.rememberedResponse(requestId);
          if (earlier !== undefined) return earlier;
        }
        let response: SandboxResponse;
        let committed = false;
        try {
          const body = operation({ request, company, now: state.clock.now() });
          response = respond(200, { ...body, time: formatQboTime(now, company.timeZone, true) });
          committed = true;
        } catch (error) {
          if (!(error instanceof QboFault)) throw error;
          response = faultResponse(error, company.timeZone, now);
        }
        if (remember) company.rememberResponse(requestId, response);
        if (committed && options.write === true && state.faults.dropAfterCommit('qbo')) return dropConnection(response);
        return response;
      } finally {
        verdict.release();
      }
    };

  const txnOptions = (request: SandboxRequest): { allowDuplicateDocNumber: boolean } => ({
    allowDuplicateDocNumber: (request.url.searchParams.get('include') ?? '').toLowerCase().split(',').includes('allowduplicatedocnum'),
  });

  const write =
    (kind: EntityKind): Operation =>
    (call) => {
      const includes = (call.request.url.searchParams.get('include') ?? '').toLowerCase().split(',');
      const requested = (call.request.url.searchParams.get('operation') ?? 'create').toLowerCase();
      // node-quickbooks voids payments as `operation=update&include=void`.
      const operation = requested === 'update' && includes.includes('void') ? 'void' : requested;
      if (!['create', 'update', 'delete', 'void'].includes(operation)) {
        throw QboFaults.unsupportedOperation(`Operation ${operation} is not supported for ${kind}; use update, delete or void.`);
      }
      const body = parseBody(call.request);
      return { [kind]: writeEntity(call.company, kind, operation as WriteOperation, body, call.now, txnOptions(call.request)) };
    };

  const read =
    (kind: EntityKind): Operation =>
    (call) => ({ [kind]: readEntity(call.company, kind, call.request.params.id ?? '') });

  const query: Operation = (call) => {
    const statement = call.request.method === 'POST' && call.request.body.trim() !== '' ? call.request.body : (call.request.url.searchParams.get('query') ?? '');
    return { ...executeQuery(call.company, parseQuery(statement)) };
  };

  const batch: Operation = (call) =>
    runBatch(call.company, parseBody(call.request), call.request.url.searchParams.get('requestid'), call.now, txnOptions(call.request));

  const cdc: Operation = (call) =>
    changeDataCapture(call.company, call.request.url.searchParams.get('entities'), call.request.url.searchParams.get('changedSince'), call.now);

  const companyInfo: Operation = (call) => {
    if (call.request.params.id !== call.company.realmId) throw QboFaults.objectNotFound();
    return { CompanyInfo: renderCompanyInfo(call.company) };
  };

  const notImplemented: Operation = (call) => {
    const path = call.request.url.pathname.replace(/^\/qbo/, '');
    throw QboFaults.unsupportedOperation(
      `Operation Could not find resource for relative : ${path} is not supported. The Ledgerlink sandbox answers customer, vendor, employee, item, account, term, invoice, bill, payment, salesreceipt, creditmemo, estimate, query, batch, cdc and companyinfo.`,
    );
  };

  const base = '/qbo/v3/company/:realmId';
  router.on(['GET', 'POST'], `${base}/query`, api(query));
  router.on('POST', `${base}/batch`, api(batch, { idempotent: true, batch: true, write: true }));
  router.on('GET', `${base}/cdc`, api(cdc));
  router.on('GET', `${base}/companyinfo/:id`, api(companyInfo));
  for (const segment of ['customer', 'vendor', 'employee', 'item', 'account', 'term', 'invoice', 'bill', 'payment', 'salesreceipt', 'creditmemo', 'estimate']) {
    const kind = entityKind(segment);
    if (kind === undefined) continue;
    router.on('POST', `${base}/${segment}`, api(write(kind), { idempotent: true, write: true }));
    router.on('GET', `${base}/${segment}/:id`, api(read(kind)));
  }
  router.on(['GET', 'POST'], `${base}/:entity`, api(notImplemented));
  router.on(['GET', 'POST'], `${base}/:entity/:id`, api(notImplemented));
}

/** The JSON body of a write; an empty or malformed one is a 2310 fault. */
function parseBody(request: SandboxRequest): unknown {
  if (request.body.trim() === '') throw QboFaults.parseObject('Request Body is Empty');
  const body = parseJson(request.body);
  if (body === undefined) throw QboFaults.parseObject('The request body is not valid JSON. (The sandbox speaks JSON only; send Content-Type: application/json.)');
  return body;
}
