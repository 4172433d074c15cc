import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { renderNameEntity } from './customers.js';
import { QboFaults } from './faults.js';
import { renderListEntity } from './lists.js';
import type { Condition, Literal, ParsedQuery } from './query-parser.js';
import { renderTransaction } from './transactions.js';
import type { EntityRecord, ListRecord, NameRecord, QboCompany, TxnRecord } from './store.js';


type FieldType = 'id' | 'string' | 'boolean' | 'number' | 'datetime';

interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly read: (record: EntityRecord) => string | number | boolean | undefined;
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

function ref(name: string): FieldSpec {
  return { name, type: 'id', read: (record) => (isJsonObject(record.fields[name]) ? Number((record.fields[name] as JsonObject).value) : undefined) };
}

function amount(name: string): FieldSpec {
  return { name, type: 'number', read: (record) => (typeof record.fields[name] === 'number' ? record.fields[name] : undefined) };
}

const META_FIELDS: readonly FieldSpec[] = [
  { name: 'Id', type: 'id', read: (record) => Number(record.id) },
  { name: 'MetaData.CreateTime', type: 'datetime', read: (record) => record.createdMs },
  { name: 'MetaData.LastUpdatedTime', type: 'datetime', read: (record) => record.updatedMs },
];

const TXN_FIELDS: readonly FieldSpec[] = [
  ...META_FIELDS,
  text('DocNumber'),
  text('TxnDate'),
  text('DueDate'),
  text('PrivateNote'),
  { name: 'TotalAmt', type: 'number', read: (record) => (record as TxnRecord).totalCents / 100 },
  { name: 'Balance', type: 'number', read: (record) => (record as TxnRecord).balanceCents / 100 },
  ref('CustomerRef'),
  ref('VendorRef'),
];

const LIST_FIELDS: readonly FieldSpec[] = [...META_FIELDS, text('Name'), { ...text('FullyQualifiedName'), read: (record) => record.fields.Name as string }, flag('Active', true), text('Type'), text('AccountType'), amount('UnitPrice')];

interface EntitySpec {
  readonly kind: string;
  readonly fields: ReadonlyMap<string, FieldSpec>;
  /** Name and reference lists hide inactive rows unless WHERE names Active. */
  readonly activeOnly: boolean;
  readonly source: (company: QboCompany) => ReadonlyMap<string, EntityRecord>;
  readonly render: (company: QboCompany, record: EntityRecord) => JsonObject;
}

/** Queryable (filterable and sortable) fields per entity, looked up case-insensitively. */
const SPECS: readonly EntitySpec[] = [
  {
    kind: 'Customer',
    fields: index([...COMMON_FIELDS, { ...text('FullyQualifiedName'), read: (record) => record.fields.DisplayName as string }, flag('Job', false), flag('Taxable', false), ref('ParentRef')]),
    activeOnly: true,
    source: (company) => company.customers,
    render: (company, record) => renderNameEntity(company, record as NameRecord),
  },
  {
    kind: 'Vendor',
    fields: index([...COMMON_FIELDS, text('AcctNum'), flag('Vendor1099', false)]),
    activeOnly: true,
    source: (company) => company.vendors,
    render: (company, record) => renderNameEntity(company, record as NameRecord),
  },
  {
    kind: 'Employee',
    fields: index(COMMON_FIELDS),
    activeOnly: true,
    source: (company) => company.employees,
    render: (company, record) => renderNameEntity(company, record as NameRecord),
  },
  ...(['Item', 'Account', 'Term'] as const).map(
    (kind): EntitySpec => ({
      kind,
      fields: index(LIST_FIELDS),
      activeOnly: true,
      source: (company) => company.lists[kind],
      render: (company, record) => renderListEntity(company, record as ListRecord),
    }),
  ),
  ...(['Invoice', 'Bill', 'Payment', 'SalesReceipt', 'CreditMemo', 'Estimate'] as const).map(
    (kind): EntitySpec => ({
      kind,
      fields: index(TXN_FIELDS),
      activeOnly: false,
      source: (company) => company.txns[kind],
      render: (company, record) => renderTransaction(company, record as TxnRecord),
    }),
  ),
];

function index(fields: readonly FieldSpec[]): ReadonlyMap<string, FieldSpec> {
  return new Map(fields.map((field) => [field.name.toLowerCase(), field]));
}

const ENTITIES: ReadonlyMap<string, EntitySpec> = new Map(SPECS.map((spec) => [spec.kind.toLowerCase(), spec]));

/** Entity names the query endpoint (and CDC) understand. */
export const QUERYABLE_ENTITIES: readonly string[] = SPECS.map((spec) => spec.kind);

/** The spec of an entity named case-insensitively, or undefined. */
export function entitySpec(name: string): EntitySpec | undefined {
  return ENTITIES.get(name.toLowerCase());
}

function fieldSpec(entity: EntitySpec, name: string): FieldSpec {
  const spec = entity.fields.get(name.toLowerCase());
  if (spec === undefined) {
    const known = [...entity.fields.values()].map((f) => f.name).join(', ');
    throw QboFaults.queryValidation(`property '${name}' is not queryable on ${entity.kind}. Queryable properties: ${known}`);
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

type Predicate = (record: EntityRecord) => boolean;

function predicate(kind: EntitySpec, condition: Condition): Predicate {
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
function candidates(company: QboCompany, kind: EntitySpec, where: readonly Condition[]): Iterable<EntityRecord> {
  const all = kind.source(company);
  for (const condition of where) {
    const field = condition.field.toLowerCase();
    if (field === 'id' && condition.operator === '=') return lookup(all.get(String(coerce(fieldSpec(kind, 'Id'), condition.value))));
    if (field === 'id' && condition.operator === 'IN') {
      const ids = condition.values.map((v) => String(coerce(fieldSpec(kind, 'Id'), v)));
      return ids.flatMap((id) => lookup(all.get(id))).sort((a, b) => Number(a.id) - Number(b.id));
    }
    if (field === 'displayname' && condition.operator === '=' && condition.value.kind === 'string') {
      const holder = company.findByDisplayName(condition.value.value);
      return lookup(holder?.kind === kind.kind ? holder : undefined);
    }
  }
  return all.values();
}

function lookup(record: EntityRecord | undefined): EntityRecord[] {
  return record === undefined ? [] : [record];
}

export interface QueryResult {
  readonly QueryResponse: JsonObject;
}

/** Runs a parsed query against a company. Name lists hide inactive rows unless WHERE names Active. */
export function executeQuery(company: QboCompany, query: ParsedQuery): QueryResult {
  const kind = entitySpec(query.entity);
  if (kind === undefined) {
    throw QboFaults.queryValidation(`Entity '${query.entity}' is not supported by the Ledgerlink sandbox yet; it answers queries on ${QUERYABLE_ENTITIES.join(', ')}`);
  }
  const predicates = query.where.map((condition) => predicate(kind, condition));
  const mentionsActive = query.where.some((condition) => condition.field.toLowerCase() === 'active');
  if (!mentionsActive && kind.activeOnly) predicates.push((record) => record.fields.Active !== false);
  const orderSpecs = query.orderBy.map((order) => ({ spec: fieldSpec(kind, order.field), sign: order.direction === 'DESC' ? -1 : 1 }));

  const matches: EntityRecord[] = [];
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
  return { QueryResponse: { [kind.kind]: page.map((record) => kind.render(company, record)), startPosition, maxResults: page.length } };
}
