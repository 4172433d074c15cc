import { type JsonObject, isJsonObject } from '../json.js';
import { QboFaults } from './faults.js';
import { resolveRef } from './lists.js';
import { type NameRecord, type QboCompany, parentIdOf } from './store.js';

/**
 * Sub-customers and jobs (IntuitNamesTypes.xsd, Customer): `Job=true` with `ParentRef` (the
 * immediate parent, required then), `BillWithParent` (only for a sub-customer), and the read-only
 * `Level` (0 = top), `RootCustomerRef` and `FullyQualifiedName` ("Parent:Customer:Job:Sub-job",
 * "Limited to 5 levels", at most 209 characters).
 */

/** Deepest Level: five levels, 0 to 4. */
export const MAX_LEVEL = 4;
export const MAX_FULLY_QUALIFIED_NAME = 209;

function displayName(record: NameRecord): string {
  return typeof record.fields.DisplayName === 'string' ? record.fields.DisplayName : record.id;
}

/** The record's ancestors, parent first, root last (bounded, in case of damage). */
export function ancestorsOf(company: QboCompany, record: NameRecord): NameRecord[] {
  const out: NameRecord[] = [];
  let parentId = parentIdOf(record);
  while (parentId !== undefined && out.length <= MAX_LEVEL + 1) {
    const parent = company.customers.get(parentId);
    if (parent === undefined) break;
    out.push(parent);
    parentId = parentIdOf(parent);
  }
  return out;
}

export function fullyQualifiedName(company: QboCompany, record: NameRecord): string {
  return [...ancestorsOf(company, record).reverse(), record].map(displayName).join(':');
}

/** Levels below `record` (0 when it has no sub-customers). */
function heightOf(company: QboCompany, id: string, depth = 0): number {
  const children = company.subCustomers.get(id);
  if (children === undefined || children.size === 0 || depth > MAX_LEVEL + 1) return 0;
  let height = 0;
  for (const child of children) height = Math.max(height, 1 + heightOf(company, child, depth + 1));
  return height;
}

/** The customer's own balance plus its sub-customers', in cents. */
export function balanceWithJobsCents(company: QboCompany, record: NameRecord, toCents: (value: unknown) => number | undefined, depth = 0): number {
  let total = toCents(record.fields.Balance) ?? 0;
  if (depth > MAX_LEVEL + 1) return total;
  for (const childId of company.subCustomers.get(record.id) ?? []) {
    const child = company.customers.get(childId);
    if (child !== undefined) total += balanceWithJobsCents(company, child, toCents, depth + 1);
  }
  return total;
}

/**
 * Checks a customer's place in the hierarchy (after its DisplayName is final) and returns the
 * fields to store: ParentRef normalised to `{value, name}`, Job false for a top-level customer.
 */
export function placeInHierarchy(company: QboCompany, input: JsonObject, self: NameRecord | undefined): JsonObject {
  // Read-only: derived from ParentRef on every read.
  const { RootCustomerRef: _root, Level: _level, FullyQualifiedName: _name, ...fields } = input;
  const ref = fields.ParentRef;
  const hasParent = isJsonObject(ref) && typeof ref.value === 'string' && ref.value !== '';
  if (!hasParent) {
    if (fields.Job === true) throw QboFaults.requiredParameter('ParentRef', ': a sub-customer or job (Job=true) names its parent, {"ParentRef": {"value": "<customer Id>"}}');
    if (fields.BillWithParent === true) throw QboFaults.businessValidation('BillWithParent is valid only for a sub-customer or job; send ParentRef and Job=true with it.', 'BillWithParent');
    const { ParentRef: _dropped, ...rest } = fields;
    return { ...rest, Job: false };
  }
  if (fields.Job !== true) throw QboFaults.businessValidation('A customer with a ParentRef is a sub-customer or job: send Job=true with it.', 'Job');
  const parent = resolveRef(company.customers, ref, 'ParentRef') as NameRecord;
  const chain = [parent, ...ancestorsOf(company, parent)];
  if (self !== undefined && chain.includes(self)) {
    throw QboFaults.businessValidation('A customer cannot be placed under itself or under one of its own sub-customers.', 'ParentRef');
  }
  const level = chain.length;
  if (level + (self === undefined ? 0 : heightOf(company, self.id)) > MAX_LEVEL) {
    throw QboFaults.businessValidation(`Sub-customers go at most ${MAX_LEVEL + 1} levels deep (Parent:Customer:Job:Sub-job:…); this would make level ${level}.`, 'ParentRef');
  }
  const name = [...chain.reverse().map(displayName), typeof fields.DisplayName === 'string' ? fields.DisplayName : ''].join(':');
  if (name.length > MAX_FULLY_QUALIFIED_NAME) throw QboFaults.stringLength('FullyQualifiedName', MAX_FULLY_QUALIFIED_NAME, name.length);
  return { ...fields, ParentRef: { value: parent.id, name: displayName(parent) } };
}

/** The read-only hierarchy properties of a customer as QuickBooks renders them. */
export function renderHierarchy(company: QboCompany, record: NameRecord): JsonObject {
  const ancestors = ancestorsOf(company, record);
  const parent = ancestors[0];
  const root = ancestors[ancestors.length - 1];
  const out: JsonObject = { FullyQualifiedName: [...[...ancestors].reverse(), record].map(displayName).join(':') };
  if (parent !== undefined && root !== undefined) {
    out.ParentRef = { value: parent.id, name: fullyQualifiedName(company, parent) };
    out.RootCustomerRef = { value: root.id, name: displayName(root) };
    out.Level = ancestors.length;
  }
  return out;
}
