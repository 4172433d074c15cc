import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { renderNameEntity, type StoredNameKind } from './customers.js';
import { QboFaults } from './faults.js';
import type { Condition, Literal, ParsedQuery } from './query-parser.js';
import type { NameRecord, QboCompany } from './store.js';

type FieldType = 'id' | 'string' | 'boolean' | 'number' | 'datetime';

interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly read: (record: NameRecord) => string | number | boolean | undefined;
}

function text(name: string, path: readonly string[] = [name]): FieldSpec {
  return {
    name,
    type: 'string',
    read: (record) => {
      let value: unknown = record.fields;
      for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
      return typeof value === 'string' ? value : undefined;
    },
  };
}

function flag(name: string, fallback: boolean): FieldSpec {
  return { name, type: 'boolean', read: (record) => (typeof record.fields[name] === 'boolean' ? (record.fields[name] as boolean) : fallback) };
}

const COMMON_FIELDS: readonly FieldSpec[] = [
  { name: 'Id', type: 'id', read: (record) => Number(record.id) },
  text('DisplayName'),
  text('Title'),
  text('GivenName'),
  text('MiddleName'),
  text('FamilyName'),
  text('Suffix'),
  text('CompanyName'),
  text('PrintOnCheckName'),
  text('PrimaryEmailAddr', ['PrimaryEmailAddr', 'Address']),
  text('PrimaryPhone', ['PrimaryPhone', 'FreeFormNumber']),
  flag('Active', true),
  { name: 'Balance', type: 'number', read: (record) => (typeof record.fields.Balance === 'number' ? record.fields.Balance : 0) },
  { name: 'MetaData.CreateTime', type: 'datetime', read: (record) => record.createdMs },
  { name: 'MetaData.LastUpdatedTime', type: 'datetime', read: (record) => record.updatedMs },
];

/** Queryable (filterable and sortable) fields per entity, looked up case-insensitively. */
const FIELDS: Record<StoredNameKind, ReadonlyMap<string, FieldSpec>> = {
  Customer: index([...COMMON_FIELDS, { ...text('FullyQualifiedName'), read: (record) => record.fields.DisplayName as string }, flag('Job', false), flag('Taxable', false)]),
  Vendor: index([...COMMON_FIELDS, text('AcctNum'), flag('Vendor1099', false)]),
};

function index(fields: readonly FieldSpec[]): ReadonlyMap<string, FieldSpec> {
  return new Map(fields.map((field) => [field.name.toLowerCase(), field]));
}

const ENTITIES: Readonly<Record<string, StoredNameKind>> = { customer: 'Customer', vendor: 'Vendor' };

function fieldSpec(kind: StoredNameKind, name: string): FieldSpec {
  const spec = FIELDS[kind].get(name.toLowerCase());
  if (spec === undefined) {
    const known = [...FIELDS[kind].values()].map((f) => f.name).join(', ');
    throw QboFaults.queryValidation(`property '${name}' is not queryable on ${kind}. Queryable properties: ${known}`);
  }
  return spec;
}

/** Converts a literal to the field's type, or throws a 4000 fault naming the field. */
function coerce(spec: FieldSpec, literal: Literal): string | number | boolean {
  const bad = (): never => {
    throw QboFaults.queryValidation(`'${literal.kind === 'number' ? literal.text : String(literal.value)}' is not a valid value for ${spec.name} (${spec.type})`);
  };
  switch (spec.type) {
    case 'id':
    case 'number': {
      const value = literal.kind === 'boolean' ? Number.NaN : Number(literal.value);
      return Number.isFinite(value) ? value : bad();
    }
    case 'boolean':
      if (literal.kind === 'boolean') return literal.value;
      if (literal.kind === 'string' && /^(true|false)$/i.test(literal.value)) return literal.value.toLowerCase() === 'true';
      return bad();
    case 'datetime': {
      const value = literal.kind === 'string' ? Date.parse(literal.value) : Number.NaN;
      return Number.isFinite(value) ? value : bad();
    }
    case 'string':
      return literal.kind === 'string' ? literal.value : literal.kind === 'number' ? literal.text : bad();
  }
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLocaleLowerCase('en-US');
    const y = b.toLocaleLowerCase('en-US');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Number(a) - Number(b);
}

function likePattern(pattern: string): RegExp {
  const source = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'is');
}

type Predicate = (record: NameRecord) => boolean;

function predicate(kind: StoredNameKind, condition: Condition): Predicate {
  const spec = fieldSpec(kind, condition.field);
  if (condition.operator === 'IN') {
    const values = condition.values.map((v) => coerce(spec, v));
    return (record) => {
      const actual = spec.read(record);
      return actual !== undefined && values.some((v) => compare(actual, v) === 0);
    };
  }
  if (condition.operator === 'LIKE') {
    if (spec.type !== 'string') throw QboFaults.queryValidation(`LIKE works on text properties only; ${spec.name} is ${spec.type}`);
    const regex = likePattern(String(coerce(spec, condition.value)));
    return (record) => {
      const actual = spec.read(record);
      return typeof actual === 'string' && regex.test(actual);
    };
  }
  const expected = coerce(spec, condition.value);
  const test = {
    '=': (c: number) => c === 0,
    '!=': (c: number) => c !== 0,
    '<': (c: number) => c < 0,
    '>': (c: number) => c > 0,
    '<=': (c: number) => c <= 0,
    '>=': (c: number) => c >= 0,
  }[condition.operator];
  return (record) => {
    const actual = spec.read(record);
    return actual !== undefined && test(compare(actual, expected));
  };
}

/** Records a query can only match, found through the Id map or the DisplayName index. */
function candidates(company: QboCompany, kind: StoredNameKind, where: readonly Condition[]): Iterable<NameRecord> {
  const all = company.entities(kind);
  for (const condition of where) {
    const field = condition.field.toLowerCase();
    if (field === 'id' && condition.operator === '=') return lookup(all.get(String(coerce(fieldSpec(kind, 'Id'), condition.value))));
    if (field === 'id' && condition.operator === 'IN') {
      const ids = condition.values.map((v) => String(coerce(fieldSpec(kind, 'Id'), v)));
      return ids.flatMap((id) => lookup(all.get(id))).sort((a, b) => Number(a.id) - Number(b.id));
    }
    if (field === 'displayname' && condition.operator === '=' && condition.value.kind === 'string') {
      const holder = company.findByDisplayName(condition.value.value);
      return lookup(holder?.kind === kind ? holder : undefined);
    }
  }
  return all.values();
}

function lookup(record: NameRecord | undefined): NameRecord[] {
  return record === undefined ? [] : [record];
}

export interface QueryResult {
  readonly QueryResponse: JsonObject;
}

/** Runs a parsed query against a company. Name lists hide inactive rows unless WHERE names Active. */
export function executeQuery(company: QboCompany, query: ParsedQuery): QueryResult {
  const kind = ENTITIES[query.entity.toLowerCase()];
  if (kind === undefined) {
    throw QboFaults.queryValidation(`Entity '${query.entity}' is not supported by the Ledgerlink sandbox yet; it answers queries on Customer and Vendor`);
  }
  const predicates = query.where.map((condition) => predicate(kind, condition));
  const mentionsActive = query.where.some((condition) => condition.field.toLowerCase() === 'active');
  if (!mentionsActive) predicates.push((record) => record.fields.Active !== false);
  const orderSpecs = query.orderBy.map((order) => ({ spec: fieldSpec(kind, order.field), sign: order.direction === 'DESC' ? -1 : 1 }));

  const matches: NameRecord[] = [];
  for (const record of candidates(company, kind, query.where)) {
    if (predicates.every((p) => p(record))) matches.push(record);
  }
  if (query.select === 'count') return { QueryResponse: { totalCount: matches.length } };

  if (orderSpecs.length > 0) {
    matches.sort((a, b) => {
      for (const { spec, sign } of orderSpecs) {
        const x = spec.read(a);
        const y = spec.read(b);
        if (x === undefined && y === undefined) continue;
        if (x === undefined) return sign;
        if (y === undefined) return -sign;
        const c = compare(x, y);
        if (c !== 0) return c * sign;
      }
      return Number(a.id) - Number(b.id);
    });
  }
  const startPosition = query.startPosition ?? 1;
  const page = matches.slice(startPosition - 1, startPosition - 1 + (query.maxResults ?? 100));
  if (page.length === 0) return { QueryResponse: {} };
  return { QueryResponse: { [kind]: page.map((record) => renderNameEntity(company, record)), startPosition, maxResults: page.length } };
}
