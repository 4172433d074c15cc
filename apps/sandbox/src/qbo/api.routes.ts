import { type SandboxRequest, type SandboxResponse, bearerToken, json, parseJson } from '../http.js';
import type { JsonObject } from '../json.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { renderCompanyInfo } from './company-info.js';
import { type StoredNameKind, createNameEntity, renderNameEntity, updateNameEntity } from './customers.js';
import { QboFault, QboFaults } from './faults.js';
import { intuitTid } from './oauth.routes.js';
import { formatQboTime } from './qbo-time.js';
import { executeQuery } from './query-executor.js';
import { parseQuery } from './query-parser.js';
import type { QboCompany } from './store.js';

/** `requestid` longer than this is refused (Intuit: 50 characters for everything but batch). */
const MAX_REQUEST_ID = 50;
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

function faultResponse(fault: QboFault, timeZone: string, now: number): SandboxResponse {
  const headers: Record<string, string> = { intuit_tid: intuitTid() };
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
 * the realm, `requestid` replay for writes, faults in Intuit's envelope, `time` on every body.
 */
export function registerQboApiRoutes(router: Router, state: SandboxState): void {
  const api =
    (operation: Operation, options: { idempotent?: boolean } = {}) =>
    (request: SandboxRequest): SandboxResponse => {
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
      const requestId = request.url.searchParams.get('requestid');
      if (requestId !== null && requestId.length > MAX_REQUEST_ID) {
        return faultResponse(
          QboFaults.businessValidation(
            `You cannot enter more than ${MAX_REQUEST_ID} characters in the request_id field. You tried entering ${requestId.slice(0, 10)}..., which is ${requestId.length} characters.`,
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
      try {
        const body = operation({ request, company, now });
        response = respond(200, { ...body, time: formatQboTime(now, company.timeZone, true) });
      } catch (error) {
        if (!(error instanceof QboFault)) throw error;
        response = faultResponse(error, company.timeZone, now);
      }
      if (remember) company.rememberResponse(requestId, response);
      return response;
    };

  const write = (kind: StoredNameKind): Operation => (call) => {
    const operation = call.request.url.searchParams.get('operation');
    const body = parseBody(call.request);
    if (operation === 'delete') {
      throw QboFaults.unsupportedOperation(
        `Operation delete is not supported for ${kind}: QuickBooks never deletes name-list entities. Make it inactive with a sparse update {"Active": false}.`,
      );
    }
    if (operation !== null && operation !== 'update' && operation !== 'create') {
      throw QboFaults.unsupportedOperation(`Operation ${operation} is not supported for ${kind}.`);
    }
    const isUpdate = operation === 'update' || (body !== null && typeof body === 'object' && 'Id' in body);
    const record = isUpdate ? updateNameEntity(call.company, kind, body, call.now) : createNameEntity(call.company, kind, body, call.now);
    return { [kind]: renderNameEntity(call.company, record) };
  };

  const read = (kind: StoredNameKind): Operation => (call) => {
    const record = call.company.entities(kind).get(call.request.params.id ?? '');
    if (record === undefined) throw QboFaults.objectNotFound();
    return { [kind]: renderNameEntity(call.company, record) };
  };

  const query: Operation = (call) => {
    const statement = call.request.method === 'POST' && call.request.body.trim() !== '' ? call.request.body : (call.request.url.searchParams.get('query') ?? '');
    return { ...executeQuery(call.company, parseQuery(statement)) };
  };

  const companyInfo: Operation = (call) => {
    if (call.request.params.id !== call.company.realmId) throw QboFaults.objectNotFound();
    return { CompanyInfo: renderCompanyInfo(call.company) };
  };

  const notImplemented: Operation = (call) => {
    const path = call.request.url.pathname.replace(/^\/qbo/, '');
    throw QboFaults.unsupportedOperation(
      `Operation Could not find resource for relative : ${path} is not supported. The Ledgerlink sandbox answers customer, vendor, query and companyinfo so far.`,
    );
  };

  const base = '/qbo/v3/company/:realmId';
  router.on('POST', `${base}/customer`, api(write('Customer'), { idempotent: true }));
  router.on('GET', `${base}/customer/:id`, api(read('Customer')));
  router.on('POST', `${base}/vendor`, api(write('Vendor'), { idempotent: true }));
  router.on('GET', `${base}/vendor/:id`, api(read('Vendor')));
  router.on(['GET', 'POST'], `${base}/query`, api(query));
  router.on('GET', `${base}/companyinfo/:id`, api(companyInfo));
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
