import type { JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { type StoredNameKind, createNameEntity, renderNameEntity, updateNameEntity } from './customers.js';
import { QboFaults } from './faults.js';
import { renderListEntity, writeListEntity } from './lists.js';
import { type ChangeOperation, LIST_KINDS, type ListKind, type QboCompany, TXN_KINDS, type TxnKind } from './store.js';
import {
  type TxnWriteOptions,
  createTransaction,
  deleteTransaction,
  renderDeleted,
  renderTransaction,
  updateTransaction,
  voidTransaction,
} from './transactions.js';

/** Every entity the sandbox reads and writes, by its QBO name. */
export type EntityKind = StoredNameKind | ListKind | TxnKind;
export type WriteOperation = 'create' | 'update' | 'delete' | 'void';

const NAME_KINDS: readonly StoredNameKind[] = ['Customer', 'Vendor', 'Employee'];
const ALL: readonly EntityKind[] = [...NAME_KINDS, ...LIST_KINDS, ...TXN_KINDS];
const BY_LOWER = new Map(ALL.map((kind) => [kind.toLowerCase(), kind]));

/** The entity named (case-insensitively) by a path segment or batch key, or undefined. */
export function entityKind(name: string): EntityKind | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export const ENTITY_KINDS = ALL;

function isName(kind: EntityKind): kind is StoredNameKind {
  return (NAME_KINDS as readonly string[]).includes(kind);
}

function isList(kind: EntityKind): kind is ListKind {
  return (LIST_KINDS as readonly string[]).includes(kind);
}

/** Reads one entity by Id; unknown (or hard-deleted) → 610. */
export function readEntity(company: QboCompany, kind: EntityKind, id: string): JsonObject {
  if (isName(kind)) {
    const record = company.entities(kind).get(id);
    if (record === undefined) throw QboFaults.objectNotFound();
    return renderNameEntity(company, record);
  }
  if (isList(kind)) {
    const record = company.lists[kind].get(id);
    if (record === undefined) throw QboFaults.objectNotFound();
    return renderListEntity(company, record);
  }
  const record = company.txns[kind].get(id);
  if (record === undefined) throw QboFaults.objectNotFound();
  return renderTransaction(company, record);
}

/**
 * One write — create, update (body with Id), delete or void — with QuickBooks' rules for the entity;
 * answers the entity as the API returns it and tells the company's listeners (webhooks).
 */
export function writeEntity(company: QboCompany, kind: EntityKind, operation: WriteOperation, body: unknown, nowMs: number, options: TxnWriteOptions = {}): JsonObject {
  if (body === undefined) throw QboFaults.parseObject('Request Body is Empty');
  const hasId = isJsonObject(body) && typeof body.Id === 'string' && body.Id !== '';
  const effective: WriteOperation = operation === 'create' && hasId ? 'update' : operation;
  let rendered: JsonObject;
  let id: string;
  let change: ChangeOperation;
  if (isName(kind)) {
    if (effective === 'delete' || effective === 'void') {
      throw QboFaults.unsupportedOperation(
        `Operation ${effective} is not supported for ${kind}: QuickBooks never deletes name-list entities. Make it inactive with a sparse update {"Active": false}.`,
      );
    }
    const record = effective === 'update' ? updateNameEntity(company, kind, body, nowMs) : createNameEntity(company, kind, body, nowMs);
    rendered = renderNameEntity(company, record);
    id = record.id;
    change = effective === 'update' ? 'Update' : 'Create';
  } else if (isList(kind)) {
    if (effective === 'delete' || effective === 'void') {
      throw QboFaults.unsupportedOperation(`Operation ${effective} is not supported for ${kind}: make it inactive with a sparse update {"Active": false}.`);
    }
    const { record, created } = writeListEntity(company, kind, body, nowMs);
    rendered = renderListEntity(company, record);
    id = record.id;
    change = created ? 'Create' : 'Update';
  } else if (effective === 'delete') {
    const record = deleteTransaction(company, kind, body, nowMs);
    rendered = renderDeleted(record);
    id = record.id;
    change = 'Delete';
  } else if (effective === 'void') {
    const record = voidTransaction(company, kind, body, nowMs);
    rendered = renderTransaction(company, record);
    id = record.id;
    change = 'Void';
  } else {
    const record = effective === 'update' ? updateTransaction(company, kind, body, nowMs, options) : createTransaction(company, kind, body, nowMs, options);
    rendered = renderTransaction(company, record);
    id = record.id;
    change = effective === 'update' ? 'Update' : 'Create';
  }
  company.emit(kind, id, change, nowMs);
  return rendered;
}
