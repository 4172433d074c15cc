import { type JsonObject, isJsonObject } from '../json.js';
import { QboFaults } from './faults.js';
import { formatQboTime } from './qbo-time.js';
import type { EntityRecord, ListKind, ListRecord, QboCompany } from './store.js';

/** Properties QuickBooks owns on list entities; sent ones are ignored. */
const SYSTEM = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'FullyQualifiedName', 'CurrentBalance', 'CurrentBalanceWithSubAccounts']);

/** Default lists of a new company: what transactions reference. Ids are per list, from 1. */
const DEFAULTS: Readonly<Record<ListKind, readonly JsonObject[]>> = {
  Account: [
    { Name: 'Services', AccountType: 'Income', AccountSubType: 'ServiceFeeIncome', Classification: 'Revenue' },
    { Name: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome', Classification: 'Revenue' },
    { Name: 'Accounts Receivable (A/R)', AccountType: 'Accounts Receivable', AccountSubType: 'AccountsReceivable', Classification: 'Asset' },
    { Name: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds', Classification: 'Asset' },
    { Name: 'Accounts Payable (A/P)', AccountType: 'Accounts Payable', AccountSubType: 'AccountsPayable', Classification: 'Liability' },
    { Name: 'Office Expenses', AccountType: 'Expense', AccountSubType: 'OfficeGeneralAdministrativeExpenses', Classification: 'Expense' },
    { Name: 'Utilities', AccountType: 'Expense', AccountSubType: 'Utilities', Classification: 'Expense' },
    { Name: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking', Classification: 'Asset' },
  ],
  Item: [
    { Name: 'Services', Type: 'Service', IncomeAccountRef: { value: '1', name: 'Services' }, UnitPrice: 0 },
    { Name: 'Hours', Type: 'Service', IncomeAccountRef: { value: '1', name: 'Services' }, UnitPrice: 0 },
    { Name: 'Consulting', Type: 'Service', IncomeAccountRef: { value: '1', name: 'Services' }, UnitPrice: 150 },
  ],
  Term: [
    { Name: 'Due on receipt', Type: 'STANDARD', DueDays: 0 },
    { Name: 'Net 15', Type: 'STANDARD', DueDays: 15 },
    { Name: 'Net 30', Type: 'STANDARD', DueDays: 30 },
    { Name: 'Net 60', Type: 'STANDARD', DueDays: 60 },
  ],
};

const REQUIRED: Readonly<Record<ListKind, readonly string[]>> = { Account: ['Name', 'AccountType'], Item: ['Name'], Term: ['Name'] };

/** Gives a new company the default accounts, items and terms. */
export function seedDefaultLists(company: QboCompany, nowMs: number): void {
  for (const kind of ['Account', 'Item', 'Term'] as const) {
    for (const fields of DEFAULTS[kind]) insertList(company, kind, { Active: true, ...fields }, nowMs);
  }
}

function insertList(company: QboCompany, kind: ListKind, fields: JsonObject, nowMs: number): ListRecord {
  const record: ListRecord = { kind, id: company.allocateListId(kind), syncToken: 0, createdMs: nowMs, updatedMs: nowMs, fields };
  company.lists[kind].set(record.id, record);
  return record;
}

/**
 * Resolves a reference (`{"value": "1"}`) to an active record; unknown or inactive → 610 naming
 * the element, as QuickBooks does for inactive customers, items, vendors and accounts.
 */
export function resolveRef(map: ReadonlyMap<string, EntityRecord>, ref: unknown, element: string, hidden?: ReadonlySet<EntityRecord>): EntityRecord {
  if (!isJsonObject(ref) || typeof ref.value !== 'string' || ref.value === '') {
    throw QboFaults.requiredParameter(element, `: send ${element} as {"value": "<Id>"}`);
  }
  const record = map.get(ref.value);
  if (record === undefined || record.fields.Active === false || hidden?.has(record) === true) throw QboFaults.objectNotFound(element);
  return record;
}

/** The display name a reference echoes (`{"value":"1","name":"Services"}`). */
export function refTo(record: EntityRecord): JsonObject {
  const name = record.fields.DisplayName ?? record.fields.Name;
  return typeof name === 'string' ? { value: record.id, name } : { value: record.id };
}

function nameTaken(company: QboCompany, kind: ListKind, name: string, self: ListRecord | undefined): ListRecord | undefined {
  const key = name.trim().toLowerCase();
  for (const record of company.lists[kind].values()) {
    if (record !== self && typeof record.fields.Name === 'string' && record.fields.Name.trim().toLowerCase() === key) return record;
  }
  return undefined;
}

function checkList(company: QboCompany, kind: ListKind, fields: JsonObject, self: ListRecord | undefined): JsonObject {
  for (const key of REQUIRED[kind]) {
    if (typeof fields[key] !== 'string' || fields[key] === '') throw QboFaults.requiredParameter(key);
  }
  const name = fields.Name as string;
  if (name.length > 100) throw QboFaults.stringLength('Name', 100, name.length);
  if (/[:\t\n]/.test(name)) throw QboFaults.invalidString('Name', name);
  const holder = nameTaken(company, kind, name, self);
  if (holder !== undefined) throw QboFaults.duplicateName(holder.id);
  const out = { ...fields };
  for (const key of ['IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef']) {
    if (out[key] !== undefined && out[key] !== null) out[key] = refTo(resolveRef(company.lists.Account, out[key], key));
  }
  return out;
}

function writable(body: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (!SYSTEM.has(key) && value !== null) out[key] = value;
  return out;
}

/** Creates or updates (body with Id: sparse or full) an item, account or term. */
export function writeListEntity(company: QboCompany, kind: ListKind, body: unknown, nowMs: number): { record: ListRecord; created: boolean } {
  if (!isJsonObject(body)) throw QboFaults.parseObject(`Expected a JSON object with the ${kind}'s fields`);
  if (typeof body.Id !== 'string' || body.Id === '') {
    const fields = checkList(company, kind, { Active: true, ...writable(body) }, undefined);
    return { record: insertList(company, kind, fields, nowMs), created: true };
  }
  const record = company.lists[kind].get(body.Id);
  if (record === undefined) throw QboFaults.objectNotFound();
  if (typeof body.SyncToken !== 'string') throw QboFaults.requiredParameter('SyncToken');
  if (body.SyncToken !== String(record.syncToken)) throw QboFaults.staleObject();
  const next = body.sparse === true ? { ...record.fields, ...writable(body) } : { Active: true, ...writable(body) };
  record.fields = checkList(company, kind, next, record);
  record.syncToken += 1;
  record.updatedMs = nowMs;
  return { record, created: false };
}

export function renderListEntity(company: QboCompany, record: ListRecord): JsonObject {
  const entity: JsonObject = { domain: 'QBO', Id: record.id, SyncToken: String(record.syncToken), ...record.fields, sparse: false };
  if (record.kind !== 'Term') entity.FullyQualifiedName = typeof record.fields.Name === 'string' ? record.fields.Name : '';
  if (record.kind === 'Account') {
    entity.CurrentBalance = 0;
    entity.CurrentBalanceWithSubAccounts = 0;
    entity.CurrencyRef = { value: company.currency.value, name: company.currency.name };
  }
  entity.MetaData = { CreateTime: formatQboTime(record.createdMs, company.timeZone), LastUpdatedTime: formatQboTime(record.updatedMs, company.timeZone) };
  return entity;
}
