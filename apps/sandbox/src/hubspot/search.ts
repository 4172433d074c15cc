import { isJsonObject } from '../json.js';
import { HubspotErrors } from './errors.js';
import { DATETIME_PROPERTIES, NUMBER_PROPERTIES, parseDateValue } from './objects.js';

export const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  readonly propertyName: string;
  readonly operator: Operator;
  readonly value?: string;
  readonly highValue?: string;
  readonly values?: readonly string[];
}

export interface Sort {
  readonly propertyName: string;
  readonly direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequest {
  readonly filterGroups: readonly (readonly Filter[])[];
  readonly sorts: readonly Sort[];
  readonly query: string | undefined;
  readonly properties: readonly string[] | undefined;
  readonly limit: number;
  readonly after: number;
}

/** HubSpot's search limits (CRM search guide and the 2024-08 changelog). */
export const SEARCH_LIMITS = { maxLimit: 200, defaultLimit: 10, maxGroups: 5, maxFiltersPerGroup: 10, maxFilters: 25, maxResults: 10_000 } as const;

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Parses and checks a search body; bad input is a 400 naming the field. */
export function parseSearchRequest(body: unknown): SearchRequest {
  const input = body === undefined ? {} : body;
  if (!isJsonObject(input)) throw HubspotErrors.validation('Invalid input JSON: the search body must be an object like {"filterGroups": [...], "limit": 10}');
  const rawGroups = input.filterGroups ?? [];
  if (!Array.isArray(rawGroups)) throw HubspotErrors.validation('filterGroups must be an array of {"filters": [...]}');
  if (rawGroups.length > SEARCH_LIMITS.maxGroups) throw HubspotErrors.validation(`Too many filter groups: ${rawGroups.length}; at most ${SEARCH_LIMITS.maxGroups} are allowed.`);
  let total = 0;
  const filterGroups = rawGroups.map((group, g) => {
    const filters = isJsonObject(group) ? group.filters : undefined;
    if (!Array.isArray(filters)) throw HubspotErrors.validation(`filterGroups[${g}].filters must be an array`);
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) throw HubspotErrors.validation(`filterGroups[${g}] has ${filters.length} filters; at most ${SEARCH_LIMITS.maxFiltersPerGroup} are allowed per group.`);
    total += filters.length;
    return filters.map((f, i): Filter => {
      const where = `filterGroups[${g}].filters[${i}]`;
      if (!isJsonObject(f) || typeof f.propertyName !== 'string' || f.propertyName === '') throw HubspotErrors.validation(`${where}.propertyName is required`);
      const operator = f.operator ?? 'EQ';
      if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
        throw HubspotErrors.validation(`${where}.operator ${JSON.stringify(operator)} is not one of ${OPERATORS.join(', ')}`);
      }
      const op = operator as Operator;
      const value = scalar(f.value);
      const highValue = scalar(f.highValue);
      const values = Array.isArray(f.values) ? f.values.map(scalar).filter((v): v is string => v !== undefined) : undefined;
      if (['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'].includes(op) && value === undefined) throw HubspotErrors.validation(`${where}.value is required for operator ${op}`);
      if (op === 'BETWEEN' && (value === undefined || highValue === undefined)) throw HubspotErrors.validation(`${where} needs value and highValue for BETWEEN`);
      if ((op === 'IN' || op === 'NOT_IN') && (values === undefined || values.length === 0)) throw HubspotErrors.validation(`${where}.values must be a non-empty array for ${op}`);
      return { propertyName: f.propertyName, operator: op, ...(value === undefined ? {} : { value }), ...(highValue === undefined ? {} : { highValue }), ...(values === undefined ? {} : { values }) };
    });
  });
  if (total > SEARCH_LIMITS.maxFilters) throw HubspotErrors.validation(`Too many filters: ${total}; at most ${SEARCH_LIMITS.maxFilters} are allowed in one search.`);
  const rawSorts = input.sorts ?? [];
  if (!Array.isArray(rawSorts)) throw HubspotErrors.validation('sorts must be an array of {"propertyName": "createdate", "direction": "DESCENDING"}');
  const sorts = rawSorts.map((s, i): Sort => {
    if (typeof s === 'string') return s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' } : { propertyName: s, direction: 'ASCENDING' };
    if (!isJsonObject(s) || typeof s.propertyName !== 'string') throw HubspotErrors.validation(`sorts[${i}].propertyName is required`);
    const direction = s.direction ?? 'ASCENDING';
    if (direction !== 'ASCENDING' && direction !== 'DESCENDING') throw HubspotErrors.validation(`sorts[${i}].direction must be ASCENDING or DESCENDING`);
    return { propertyName: s.propertyName, direction };
  });
  const limitRaw = input.limit ?? SEARCH_LIMITS.defaultLimit;
  const limit = Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_LIMITS.maxLimit) {
    throw HubspotErrors.validation(`limit must be a whole number from 0 to ${SEARCH_LIMITS.maxLimit}; got ${JSON.stringify(limitRaw)}`);
  }
  const afterRaw = input.after ?? '0';
  const after = Number(afterRaw);
  if (!Number.isInteger(after) || after < 0) throw HubspotErrors.validation(`after must be the paging.next.after value of the previous page; got ${JSON.stringify(afterRaw)}`);
  if (after + limit > SEARCH_LIMITS.maxResults) {
    throw HubspotErrors.validation(`Search returns at most ${SEARCH_LIMITS.maxResults} results; after ${after} + limit ${limit} goes past it. Narrow the filters (e.g. by hs_object_id ranges).`);
  }
  const query = typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim() : undefined;
  const properties = Array.isArray(input.properties) ? input.properties.filter((p): p is string => typeof p === 'string') : undefined;
  return { filterGroups, sorts, query, properties, limit, after };
}

/** A comparable form of a value: numbers for number and date-time properties, lower-case text otherwise. */
function comparable(propertyName: string, value: string): number | string {
  if (DATETIME_PROPERTIES.has(propertyName)) return parseDateValue(value) ?? Number.NaN;
  if (NUMBER_PROPERTIES.has(propertyName)) return Number(value);
  return value.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function tokens(value: string): string[] {
  return value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
}

/** CONTAINS_TOKEN: every word of the value is a word of the property, or a `*` wildcard pattern matches. */
function containsToken(actual: string, wanted: string): boolean {
  if (wanted.includes('*')) {
    const pattern = new RegExp(`^${wanted.toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'u');
    return pattern.test(actual.toLowerCase()) || tokens(actual).some((t) => pattern.test(t));
  }
  const have = new Set(tokens(actual));
  const want = tokens(wanted);
  return want.length > 0 && want.every((t) => have.has(t));
}

export function matchesFilter(properties: ReadonlyMap<string, string>, filter: Filter): boolean {
  const raw = properties.get(filter.propertyName);
  const has = raw !== undefined && raw !== '';
  const op = filter.operator;
  if (op === 'HAS_PROPERTY') return has;
  if (op === 'NOT_HAS_PROPERTY') return !has;
  if (op === 'NEQ') return !has || compare(comparable(filter.propertyName, raw), comparable(filter.propertyName, filter.value ?? '')) !== 0;
  if (op === 'NOT_IN') return !has || !(filter.values ?? []).some((v) => compare(comparable(filter.propertyName, raw), comparable(filter.propertyName, v)) === 0);
  if (op === 'NOT_CONTAINS_TOKEN') return !has || !containsToken(raw, filter.value ?? '');
  if (!has) return false;
  const actual = comparable(filter.propertyName, raw);
  const value = comparable(filter.propertyName, filter.value ?? '');
  switch (op) {
    case 'EQ':
      return compare(actual, value) === 0;
    case 'LT':
      return compare(actual, value) < 0;
    case 'LTE':
      return compare(actual, value) <= 0;
    case 'GT':
      return compare(actual, value) > 0;
    case 'GTE':
      return compare(actual, value) >= 0;
    case 'BETWEEN':
      return compare(actual, value) >= 0 && compare(actual, comparable(filter.propertyName, filter.highValue ?? '')) <= 0;
    case 'IN':
      return (filter.values ?? []).some((v) => compare(actual, comparable(filter.propertyName, v)) === 0);
    case 'CONTAINS_TOKEN':
      return containsToken(raw, filter.value ?? '');
  }
}

/** Groups are ORed, filters in a group ANDed; no groups matches everything. */
export function matchesFilterGroups(properties: ReadonlyMap<string, string>, groups: SearchRequest['filterGroups']): boolean {
  if (groups.length === 0) return true;
  return groups.some((group) => group.every((filter) => matchesFilter(properties, filter)));
}

/** Properties the free-text `query` looks in (HubSpot's default searchable properties, roughly). */
const QUERY_PROPERTIES = ['firstname', 'lastname', 'email', 'phone', 'company', 'name', 'domain', 'website', 'hs_note_body', 'hs_additional_emails'];

export function matchesQuery(properties: ReadonlyMap<string, string>, query: string | undefined): boolean {
  if (query === undefined) return true;
  const q = query.toLowerCase();
  return QUERY_PROPERTIES.some((name) => (properties.get(name) ?? '').toLowerCase().includes(q));
}

/** Sorts in place by the requested sorts, then by id (HubSpot's default order is by id). */
export function sortRecords<T extends { readonly id: string; readonly properties: ReadonlyMap<string, string> }>(records: T[], sorts: readonly Sort[]): T[] {
  return records.sort((a, b) => {
    for (const sort of sorts) {
      const av = a.properties.get(sort.propertyName);
      const bv = b.properties.get(sort.propertyName);
      if (av === bv) continue;
      if (av === undefined) return 1;
      if (bv === undefined) return -1;
      const order = compare(comparable(sort.propertyName, av), comparable(sort.propertyName, bv));
      if (order !== 0) return sort.direction === 'ASCENDING' ? order : -order;
    }
    return Number(a.id) - Number(b.id);
  });
}
