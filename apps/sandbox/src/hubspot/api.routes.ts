import { delay } from '../faults.js';
import { type SandboxRequest, type SandboxResponse, bearerToken, json, parseJson } from '../http.js';
import { isJsonObject } from '../json.js';
import type { WindowRule } from '../limits.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { dropConnection } from '../server.js';
import { associationType, defaultAssociationType } from './associations.js';
import { HubspotError, HubspotErrors, correlationId } from './errors.js';
import {
  type WriteContext,
  archiveRecord,
  checkCreate,
  checkUpdate,
  createRecord,
  findRecord,
  findRecordBy,
  isBuiltInProperty,
  mergeRecords,
  parseInlineAssociations,
  parseProperties,
  renderRecord,
  updateRecord,
} from './objects.js';
import type { TokenGrant } from './oauth.js';
import { matchesFilterGroups, matchesQuery, parseSearchRequest, sortRecords } from './search.js';
import { type CrmRecord, type HubspotPortal, OBJECT_TYPE_IDS, type ObjectType, parseObjectType } from './store.js';

/** Batch endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;
/** List pages hold at most 100 records. */
const LIST_LIMIT = 100;

/** Private apps: 100 requests per 10 s and 250,000 a day per portal (Free/Starter). OAuth apps: 110 per 10 s per portal. */
const PRIVATE_APP_RULES: readonly WindowRule[] = [
  { id: 'ten_secondly', limit: 100, windowMs: 10_000 },
  { id: 'daily', limit: 250_000, windowMs: 86_400_000 },
];
const OAUTH_RULES: readonly WindowRule[] = [{ id: 'ten_secondly', limit: 110, windowMs: 10_000 }];
/** CRM search: 5 requests per second per portal, with no rate-limit headers. */
const SEARCH_RULES: readonly WindowRule[] = [{ id: 'secondly', limit: 5, windowMs: 1000 }];

interface ApiCall {
  readonly request: SandboxRequest;
  readonly portal: HubspotPortal;
  readonly grant: TokenGrant;
  readonly ctx: WriteContext;
  readonly type: ObjectType;
}

type Operation = (call: ApiCall) => SandboxResponse;

interface RouteOptions {
  /** Which path parameter names the object type (default `objectType`). */
  readonly typeParam?: string;
  readonly write: boolean;
  readonly search?: boolean;
}

function errorResponse(error: HubspotError, headers: Record<string, string> = {}): SandboxResponse {
  return json(error.status, error.toBody(), headers);
}

function rateLimitBody(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY', portal: HubspotPortal, grant: TokenGrant): Record<string, unknown> {
  const name = policy === 'TEN_SECONDLY_ROLLING' ? 'ten_secondly_rolling' : policy === 'DAILY' ? 'daily' : 'secondly';
  return {
    status: 'error',
    message: `You have reached your ${name} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: correlationId(),
    policyName: policy,
    groupName: grant.kind === 'private-app' ? `publicapi:private-app:${portal.portalId}` : `publicapi:oauth:${grant.appId}:${portal.portalId}`,
  };
}

/** The scope an OAuth token needs for this object type (notes ride on the contacts scopes, as engagements do). */
function requiredScope(type: ObjectType, write: boolean): string {
  const object = type === 'companies' ? 'companies' : 'contacts';
  return `crm.objects.${object}.${write ? 'write' : 'read'}`;
}

function body(request: SandboxRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  const parsed = parseJson(request.body);
  if (!isJsonObject(parsed)) throw HubspotErrors.validation('Invalid input JSON on line 1: the body must be a JSON object. Send Content-Type: application/json.');
  return parsed;
}

/** `properties=a,b&properties=c` → [a, b, c]; undefined when absent. */
function listParam(url: URL, name: string): string[] | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length === 0) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function associationsParam(url: URL): ObjectType[] | undefined {
  return listParam(url, 'associations')?.map((name) => {
    const type = parseObjectType(name);
    if (type === undefined) throw HubspotErrors.validation(`associations: unknown object type ${name}; use contacts, companies or notes`);
    return type;
  });
}

function archivedParam(url: URL): boolean {
  return url.searchParams.get('archived') === 'true';
}

function inputsOf(raw: Record<string, unknown>): unknown[] {
  const inputs = raw.inputs;
  if (!Array.isArray(inputs)) throw HubspotErrors.validation('inputs is required: send {"inputs": [...]}');
  if (inputs.length > BATCH_LIMIT) throw HubspotErrors.validation(`Too many inputs: ${inputs.length}. A batch takes at most ${BATCH_LIMIT} inputs; split it into several requests.`, { inputs: [String(inputs.length)] });
  return inputs;
}

function idOf(input: unknown, where: string): string {
  const id = isJsonObject(input) ? input.id : undefined;
  if (typeof id !== 'string' && typeof id !== 'number') throw HubspotErrors.validation(`${where}.id is required`);
  return String(id);
}

function batchEnvelope(results: unknown[], startedAt: string, notFound: string[], type: ObjectType, verb: string): { status: number; body: Record<string, unknown> } {
  const base: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (notFound.length === 0) return { status: 200, body: base };
  const singular = type === 'companies' ? 'COMPANY' : type === 'notes' ? 'NOTE' : 'CONTACT';
  return {
    status: 207,
    body: {
      ...base,
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not ${verb} some ${singular} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: notFound },
        },
      ],
    },
  };
}

/**
 * HubSpot's CRM API under `/hubspot` (api.hubapi.com's paths): private-app and OAuth bearer auth,
 * rate limits with HubSpot's headers and 429 body, CRM v3 objects (contacts, companies, notes),
 * batch, search, merge, v4 associations and custom properties.
 */
export function registerHubspotApiRoutes(router: Router, state: SandboxState): void {
  const hub = state.hubspot;

  const api =
    (operation: Operation, options: RouteOptions) =>
    async (request: SandboxRequest): Promise<SandboxResponse> => {
      const fault = state.faults.decide('hubspot');
      await delay(fault.latencyMs);
      const type = parseObjectType(request.params[options.typeParam ?? 'objectType'] ?? '');
      const token = bearerToken(request);
      if (token === undefined) return errorResponse(HubspotErrors.missingCredentials());
      let grant: TokenGrant | undefined;
      const privatePortal = hub.store.byPrivateAppToken(token);
      if (privatePortal !== undefined) {
        grant = { portalId: privatePortal.portalId, kind: 'private-app', appId: 0, scopes: 'all' };
      } else {
        const check = hub.oauth.checkAccessToken(token);
        if (!check.ok) return errorResponse(check.reason === 'expired' ? HubspotErrors.expiredToken(check.minutesAgo) : HubspotErrors.invalidToken());
        grant = check.grant;
      }
      if (fault.fault === 'tokenExpired') return errorResponse(HubspotErrors.expiredToken(0));
      const portal = hub.store.get(grant.portalId);
      if (portal === undefined) return errorResponse(HubspotErrors.invalidToken());
      if (type === undefined) {
        return errorResponse(new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${request.params[options.typeParam ?? 'objectType'] ?? ''}. The sandbox serves contacts (0-1), companies (0-2) and notes (0-46).`));
      }
      if (grant.scopes !== 'all') {
        const needed = requiredScope(type, options.write);
        if (!grant.scopes.includes(needed)) {
          return errorResponse(
            new HubspotError(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.', {
              requiredGranularScopes: [needed],
            }),
          );
        }
      }
      const search = options.search === true;
      const key = search ? `${portal.portalId}:search` : grant.kind === 'private-app' ? `${portal.portalId}:private-app` : `${portal.portalId}:oauth:${grant.appId}`;
      const rules = search ? SEARCH_RULES : grant.kind === 'private-app' ? PRIVATE_APP_RULES : OAUTH_RULES;
      const verdict = fault.fault === 'throttle' ? undefined : hub.limits.acquire(key, rules);
      const headers: Record<string, string> = { 'x-hubspot-correlation-id': correlationId() };
      if (!search && verdict !== undefined) {
        const tenSecondly = rules[0];
        const remaining = verdict.remaining.ten_secondly;
        if (tenSecondly !== undefined && remaining !== undefined) {
          headers['x-hubspot-ratelimit-interval-milliseconds'] = String(tenSecondly.windowMs);
          headers['x-hubspot-ratelimit-max'] = String(tenSecondly.limit);
          headers['x-hubspot-ratelimit-remaining'] = String(remaining);
        }
        const daily = verdict.remaining.daily;
        if (daily !== undefined) {
          headers['x-hubspot-ratelimit-daily'] = '250000';
          headers['x-hubspot-ratelimit-daily-remaining'] = String(daily);
        }
      }
      if (verdict === undefined || !verdict.ok) {
        const policy = search ? 'SECONDLY' : verdict !== undefined && verdict.ruleId === 'daily' ? 'DAILY' : 'TEN_SECONDLY_ROLLING';
        return json(429, rateLimitBody(policy, portal, grant), headers);
      }
      try {
        if (fault.fault === 'error500' || fault.fault === 'error503') {
          const status = fault.fault === 'error500' ? 500 : 503;
          return json(status, { status: 'error', message: status === 500 ? 'internal error' : 'Service Unavailable', correlationId: correlationId(), category: 'INTERNAL_ERROR' }, headers);
        }
        const response = operation({ request, portal, grant, type, ctx: { now: state.clock.now(), source: 'API' } });
        const merged: SandboxResponse = { ...response, headers: { ...headers, ...response.headers } };
        if (options.write && response.status < 300 && state.faults.dropAfterCommit('hubspot')) return dropConnection(merged);
        return merged;
      } catch (error) {
        if (error instanceof HubspotError) return errorResponse(error, headers);
        throw error;
      } finally {
        verdict.release();
      }
    };

  const objects = '/hubspot/crm/v3/objects/:objectType';

  // List
  router.on(
    'GET',
    objects,
    api(({ request, portal, type }) => {
      const url = request.url;
      const limitRaw = url.searchParams.get('limit') ?? '10';
      const limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT) throw HubspotErrors.validation(`limit must be a whole number from 1 to ${LIST_LIMIT}; got ${limitRaw}`);
      const afterRaw = url.searchParams.get('after');
      const after = afterRaw === null || afterRaw === '' ? 0 : Number(afterRaw);
      if (!Number.isFinite(after)) throw HubspotErrors.validation(`after must be the paging.next.after value of the previous page; got ${afterRaw ?? ''}`);
      const archived = archivedParam(url);
      const page: CrmRecord[] = [];
      let more = false;
      for (const record of portal.objects[type].values()) {
        if (record.archived !== archived || Number(record.id) <= after) continue;
        if (page.length === limit) {
          more = true;
          break;
        }
        page.push(record);
      }
      const options = { properties: listParam(url, 'properties'), associations: associationsParam(url) };
      const out: Record<string, unknown> = { results: page.map((r) => renderRecord(portal, r, options)) };
      const last = page.at(-1);
      if (more && last !== undefined) {
        const next = new URL(url.toString());
        next.searchParams.set('after', last.id);
        out.paging = { next: { after: last.id, link: `https://api.hubapi.com${next.pathname.replace(/^\/hubspot/, '')}${next.search}` } };
      }
      return json(200, out);
    }, { write: false }),
  );

  // Create
  router.on(
    'POST',
    objects,
    api(({ request, portal, type, ctx }) => {
      const input = body(request);
      const properties = parseProperties(portal, type, input.properties);
      const associations = parseInlineAssociations(portal, type, input.associations);
      const record = createRecord(portal, type, properties, associations, ctx);
      return json(201, renderRecord(portal, record, { all: true }));
    }, { write: true }),
  );

  // Search
  router.on(
    'POST',
    `${objects}/search`,
    api(({ request, portal, type }) => {
      const search = parseSearchRequest(parseJson(request.body));
      const matches: CrmRecord[] = [];
      for (const record of portal.objects[type].values()) {
        if (!record.archived && matchesFilterGroups(record.properties, search.filterGroups) && matchesQuery(record.properties, search.query)) matches.push(record);
      }
      sortRecords(matches, search.sorts);
      const page = matches.slice(search.after, search.after + search.limit);
      const out: Record<string, unknown> = { total: matches.length, results: page.map((r) => renderRecord(portal, r, { properties: search.properties })) };
      const nextAfter = search.after + page.length;
      if (page.length > 0 && nextAfter < matches.length) out.paging = { next: { after: String(nextAfter) } };
      return json(200, out);
    }, { write: false, search: true }),
  );

  // Merge (contacts, companies)
  router.on(
    'POST',
    `${objects}/merge`,
    api(({ request, portal, type, ctx }) => {
      if (type === 'notes') throw HubspotErrors.validation('Notes cannot be merged; merge contacts or companies.');
      const input = body(request);
      const primary = input.primaryObjectId;
      const other = input.objectIdToMerge;
      if ((typeof primary !== 'string' && typeof primary !== 'number') || (typeof other !== 'string' && typeof other !== 'number')) {
        throw HubspotErrors.validation('primaryObjectId and objectIdToMerge are required, e.g. {"primaryObjectId": "101", "objectIdToMerge": "102"}');
      }
      const survivor = mergeRecords(portal, type, String(primary), String(other), ctx);
      return json(200, renderRecord(portal, survivor, { all: true }));
    }, { write: true }),
  );

  // Batch create: validated as a whole first, so a rejected batch writes nothing.
  router.on(
    'POST',
    `${objects}/batch/create`,
    api(({ request, portal, type, ctx }) => {
      const startedAt = new Date().toISOString();
      const inputs = inputsOf(body(request));
      const prepared = inputs.map((input, i) => {
        const raw = isJsonObject(input) ? input : {};
        return {
          properties: parseProperties(portal, type, raw.properties, `inputs[${i}].properties`),
          associations: parseInlineAssociations(portal, type, raw.associations),
        };
      });
      const emails = new Map<string, number>();
      for (const [i, item] of prepared.entries()) {
        checkCreate(portal, type, item.properties);
        const email = type === 'contacts' ? item.properties.get('email')?.toLowerCase() : undefined;
        if (email === undefined || email === '') continue;
        const earlier = emails.get(email);
        if (earlier !== undefined) throw HubspotErrors.validation(`inputs[${earlier}] and inputs[${i}] have the same email ${email}; a contact's email must be unique.`);
        emails.set(email, i);
      }
      const results = prepared.map((item) => renderRecord(portal, createRecord(portal, type, item.properties, item.associations, ctx), { all: true }));
      return json(201, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
    }, { write: true }),
  );

  // Batch read
  router.on(
    'POST',
    `${objects}/batch/read`,
    api(({ request, portal, type }) => {
      const startedAt = new Date().toISOString();
      const raw = body(request);
      const inputs = inputsOf(raw);
      const idProperty = typeof raw.idProperty === 'string' ? raw.idProperty : undefined;
      const properties = Array.isArray(raw.properties) ? raw.properties.filter((p): p is string => typeof p === 'string') : undefined;
      const archived = archivedParam(request.url);
      const results: unknown[] = [];
      const notFound: string[] = [];
      const seen = new Set<string>();
      for (const [i, input] of inputs.entries()) {
        const id = idOf(input, `inputs[${i}]`);
        const record = findRecordBy(portal, type, id, idProperty, archived);
        if (record === undefined) notFound.push(id);
        else if (!seen.has(record.id)) {
          seen.add(record.id);
          results.push(renderRecord(portal, record, { properties }));
        }
      }
      const envelope = batchEnvelope(results, startedAt, notFound, type, 'get');
      return json(envelope.status, envelope.body);
    }, { write: false }),
  );

  // Batch update: ids must be unique; e-mail conflicts refuse the whole batch.
  router.on(
    'POST',
    `${objects}/batch/update`,
    api(({ request, portal, type, ctx }) => {
      const startedAt = new Date().toISOString();
      const inputs = inputsOf(body(request));
      const ids = inputs.map((input, i) => idOf(input, `inputs[${i}]`));
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (duplicates.length > 0) throw HubspotErrors.validation(`Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`);
      const notFound: string[] = [];
      const planned: { record: CrmRecord; properties: Map<string, string> }[] = [];
      for (const [i, input] of inputs.entries()) {
        const raw = isJsonObject(input) ? input : {};
        const idProperty = typeof raw.idProperty === 'string' ? raw.idProperty : undefined;
        const properties = parseProperties(portal, type, raw.properties, `inputs[${i}].properties`);
        const record = findRecordBy(portal, type, ids[i] ?? '', idProperty);
        if (record === undefined) notFound.push(ids[i] ?? '');
        else {
          checkUpdate(portal, record, properties);
          planned.push({ record, properties });
        }
      }
      const results = planned.map((p) => renderRecord(portal, updateRecord(portal, p.record, p.properties, ctx), { all: true }));
      const envelope = batchEnvelope(results, startedAt, notFound, type, 'update');
      return json(envelope.status, envelope.body);
    }, { write: true }),
  );

  // Batch upsert: by a unique property (contacts: `idProperty: "email"`); creates what is missing.
  router.on(
    'POST',
    `${objects}/batch/upsert`,
    api(({ request, portal, type, ctx }) => {
      const startedAt = new Date().toISOString();
      const inputs = inputsOf(body(request));
      const planned = inputs.map((input, i) => {
        const raw = isJsonObject(input) ? input : {};
        const id = idOf(input, `inputs[${i}]`);
        const idProperty = typeof raw.idProperty === 'string' && raw.idProperty !== '' ? raw.idProperty : undefined;
        if (idProperty === undefined || idProperty === 'hs_object_id') {
          throw HubspotErrors.validation(`inputs[${i}].idProperty is required: the unique property to match on, e.g. "email" for contacts`);
        }
        const existing = findRecordBy(portal, type, id, idProperty);
        const given = isJsonObject(raw.properties) ? raw.properties : {};
        const properties = parseProperties(portal, type, existing === undefined ? { ...given, [idProperty]: id } : given, `inputs[${i}].properties`);
        if (existing !== undefined) checkUpdate(portal, existing, properties);
        else checkCreate(portal, type, properties);
        return { existing, properties, key: `${idProperty}:${id.toLowerCase()}` };
      });
      const keys = planned.map((p) => p.key);
      const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
      if (duplicates.length > 0) throw HubspotErrors.validation(`Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`);
      const results = planned.map(({ existing, properties }) =>
        existing === undefined
          ? { ...renderRecord(portal, createRecord(portal, type, properties, [], ctx), { all: true }), new: true }
          : { ...renderRecord(portal, updateRecord(portal, existing, properties, ctx), { all: true }), new: false },
      );
      return json(200, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
    }, { write: true }),
  );

  // Batch archive
  router.on(
    'POST',
    `${objects}/batch/archive`,
    api(({ request, portal, type, ctx }) => {
      const inputs = inputsOf(body(request));
      for (const [i, input] of inputs.entries()) {
        const record = findRecord(portal, type, idOf(input, `inputs[${i}]`));
        if (record !== undefined) archiveRecord(portal, record, ctx);
      }
      return { status: 204 };
    }, { write: true }),
  );

  // Read one
  router.on(
    'GET',
    `${objects}/:id`,
    api(({ request, portal, type }) => {
      const url = request.url;
      const id = request.params.id ?? '';
      const record = findRecordBy(portal, type, id, url.searchParams.get('idProperty') ?? undefined, archivedParam(url));
      if (record === undefined) throw HubspotErrors.notFound(id);
      return json(200, renderRecord(portal, record, { properties: listParam(url, 'properties'), associations: associationsParam(url) }));
    }, { write: false }),
  );

  // Update one
  router.on(
    'PATCH',
    `${objects}/:id`,
    api(({ request, portal, type, ctx }) => {
      const id = request.params.id ?? '';
      const record = findRecordBy(portal, type, id, request.url.searchParams.get('idProperty') ?? undefined);
      if (record === undefined) throw HubspotErrors.notFound(id);
      const properties = parseProperties(portal, type, body(request).properties);
      return json(200, renderRecord(portal, updateRecord(portal, record, properties, ctx), { all: true }));
    }, { write: true }),
  );

  // Archive one (204 even when already archived or missing, as HubSpot answers)
  router.on(
    'DELETE',
    `${objects}/:id`,
    api(({ request, portal, type, ctx }) => {
      const record = findRecord(portal, type, request.params.id ?? '');
      if (record !== undefined) archiveRecord(portal, record, ctx);
      return { status: 204 };
    }, { write: true }),
  );

  // Associations v4
  const v4 = '/hubspot/crm/v4/objects/:objectType/:fromId/associations';
  const pair = (call: ApiCall): { from: CrmRecord; toType: ObjectType; to: CrmRecord | undefined; toIdRaw: string } => {
    const from = findRecord(call.portal, call.type, call.request.params.fromId ?? '');
    if (from === undefined) throw HubspotErrors.notFound(call.request.params.fromId ?? '');
    const toType = parseObjectType(call.request.params.toObjectType ?? '');
    if (toType === undefined) throw HubspotErrors.validation(`Unable to infer object type from: ${call.request.params.toObjectType ?? ''}`);
    const toIdRaw = call.request.params.toId ?? '';
    return { from, toType, to: toIdRaw === '' ? undefined : findRecord(call.portal, toType, toIdRaw), toIdRaw };
  };

  router.on(
    'PUT',
    `${v4}/default/:toObjectType/:toId`,
    api((call) => {
      const startedAt = new Date().toISOString();
      const { from, toType, to, toIdRaw } = pair(call);
      if (to === undefined) throw HubspotErrors.notFound(toIdRaw);
      const kind = defaultAssociationType(call.type, toType);
      if (kind === undefined) throw HubspotErrors.validation(`There is no default association from ${call.type} to ${toType} in the sandbox.`);
      call.portal.associate(call.type, from.id, toType, to.id, kind.typeId, kind.inverse);
      const spec = (typeId: number): Record<string, unknown> => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId });
      return json(200, {
        status: 'COMPLETE',
        results: [
          { from: { id: from.id }, to: { id: to.id }, associationSpec: spec(kind.typeId) },
          { from: { id: to.id }, to: { id: from.id }, associationSpec: spec(kind.inverse) },
        ],
        startedAt,
        completedAt: new Date().toISOString(),
      });
    }, { write: true }),
  );

  router.on(
    'PUT',
    `${v4}/:toObjectType/:toId`,
    api((call) => {
      const { from, toType, to, toIdRaw } = pair(call);
      if (to === undefined) throw HubspotErrors.notFound(toIdRaw);
      const specs = parseJson(call.request.body);
      if (!Array.isArray(specs) || specs.length === 0) throw HubspotErrors.validation('The body must be a non-empty array like [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}]');
      const labels: string[] = [];
      for (const [i, spec] of specs.entries()) {
        const typeId = isJsonObject(spec) ? Number(spec.associationTypeId) : Number.NaN;
        const kind = associationType(typeId);
        if (kind === undefined || kind.from !== call.type || kind.to !== toType) {
          throw HubspotErrors.validation(`[${i}].associationTypeId ${String(typeId)} is not an association type from ${call.type} to ${toType}.`);
        }
        call.portal.associate(call.type, from.id, toType, to.id, typeId, kind.inverse);
        if (kind.label !== null) labels.push(kind.label);
      }
      return json(201, { fromObjectTypeId: OBJECT_TYPE_IDS[call.type], fromObjectId: Number(from.id), toObjectTypeId: OBJECT_TYPE_IDS[toType], toObjectId: Number(to.id), labels });
    }, { write: true }),
  );

  router.on(
    'GET',
    `${v4}/:toObjectType`,
    api((call) => {
      const { from, toType } = pair(call);
      const limitRaw = call.request.url.searchParams.get('limit') ?? '500';
      const limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw HubspotErrors.validation(`limit must be a whole number from 1 to 500; got ${limitRaw}`);
      const after = Number(call.request.url.searchParams.get('after') ?? '0') || 0;
      const all = call.portal.associations(call.type, from.id, toType).filter((link) => Number(link.toId) > after);
      const page = all.slice(0, limit);
      const out: Record<string, unknown> = {
        results: page.map((link) => ({
          toObjectId: Number(link.toId),
          associationTypes: link.typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: associationType(typeId)?.label ?? null })),
        })),
      };
      const last = page.at(-1);
      if (all.length > page.length && last !== undefined) out.paging = { next: { after: last.toId } };
      return json(200, out);
    }, { write: false }),
  );

  router.on(
    'DELETE',
    `${v4}/:toObjectType/:toId`,
    api((call) => {
      const { from, toType, toIdRaw } = pair(call);
      call.portal.dissociate(call.type, from.id, toType, toIdRaw);
      return { status: 204 };
    }, { write: true }),
  );

  // Custom properties (enough to add a property such as `ledgerlink_id` before writing it)
  router.on(
    'POST',
    '/hubspot/crm/v3/properties/:objectType',
    api(({ request, portal, type }) => {
      const input = body(request);
      const name = input.name;
      if (typeof name !== 'string' || !/^[a-z][a-z0-9_]{0,99}$/.test(name)) {
        throw HubspotErrors.validation('name is required: lower-case letters, digits and underscores, starting with a letter (e.g. "ledgerlink_id")');
      }
      if (isBuiltInProperty(type, name) || portal.customProperties[type].has(name)) {
        throw new HubspotError(409, 'CONFLICT', `A property named '${name}' already exists.`, { name: [name] });
      }
      portal.customProperties[type].add(name);
      const now = new Date().toISOString();
      return json(201, {
        name,
        label: typeof input.label === 'string' ? input.label : name,
        type: typeof input.type === 'string' ? input.type : 'string',
        fieldType: typeof input.fieldType === 'string' ? input.fieldType : 'text',
        groupName: typeof input.groupName === 'string' ? input.groupName : `${type.slice(0, -1)}information`,
        description: typeof input.description === 'string' ? input.description : '',
        options: [],
        createdAt: now,
        updatedAt: now,
        hidden: false,
        formField: false,
        calculated: false,
        externalOptions: false,
        hasUniqueValue: false,
        archived: false,
        modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      });
    }, { write: true }),
  );
}
