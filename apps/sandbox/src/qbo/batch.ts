import { type JsonObject, isJsonObject } from '../json.js';
import { type EntityKind, entityKind, writeEntity } from './entities.js';
import { QboFault, QboFaults } from './faults.js';
import { executeQuery } from './query-executor.js';
import { parseQuery } from './query-parser.js';
import type { QboCompany } from './store.js';
import type { TxnWriteOptions } from './transactions.js';

/** Intuit: at most 30 BatchItemRequest payloads per batch. */
export const MAX_BATCH_ITEMS = 30;
/** With `requestid` on a batch, each bId may have at most 10 characters (Intuit, requestid docs). */
export const MAX_BID_WITH_REQUEST_ID = 10;

const OPERATIONS = new Set(['create', 'update', 'delete']);

function malformed(detail: string): QboFault {
  return new QboFault(400, 'ValidationFault', [{ Message: 'MalformedRequest', Detail: detail, code: '400' }]);
}

function itemFault(fault: QboFault): JsonObject {
  return { Fault: { type: fault.type, Error: fault.errors.map((error) => ({ ...error, element: error.element ?? '' })) } };
}

/**
 * `POST /batch`: up to 30 independent items (create/update/delete on an entity, or a Query). Each
 * answers its own entity, QueryResponse or Fault under its `bId`; HTTP 200 even when items fail.
 * Items never see what other items of the same batch created.
 */
export function runBatch(company: QboCompany, body: unknown, requestId: string | null, nowMs: number, options: TxnWriteOptions): JsonObject {
  if (!isJsonObject(body) || !Array.isArray(body.BatchItemRequest)) {
    throw malformed('Batch Request is Empty: send {"BatchItemRequest": [{"bId": "1", "operation": "create", "Customer": {…}}]}');
  }
  const items = body.BatchItemRequest;
  if (items.length === 0) throw malformed('Batch Request is Empty');
  if (items.length > MAX_BATCH_ITEMS) throw malformed(`Batch Request has ${items.length} BatchItemRequest items; the limit is ${MAX_BATCH_ITEMS}. Split it into several batches.`);
  const seen = new Set<string>();
  company.batchCreated = new Set();
  try {
    const responses = items.map((item: unknown, index): JsonObject => {
      const bId = isJsonObject(item) && typeof item.bId === 'string' && item.bId !== '' ? item.bId : undefined;
      const echo = bId ?? String(index + 1);
      try {
        if (!isJsonObject(item)) throw QboFaults.parseObject(`BatchItemRequest ${index + 1} must be an object`);
        if (bId === undefined) throw QboFaults.requiredParameter('bId');
        if (seen.has(bId)) throw QboFaults.businessValidation(`bId ${bId} is used by more than one item of this batch; each item needs its own.`, 'bId');
        seen.add(bId);
        if (requestId !== null && bId.length > MAX_BID_WITH_REQUEST_ID) {
          throw QboFaults.businessValidation(
            `You cannot enter more than ${MAX_BID_WITH_REQUEST_ID} characters in the bId field when the batch has a requestid. You tried entering ${bId}, which is ${bId.length} characters.`,
            'bId',
          );
        }
        return { bId, ...runItem(company, item, nowMs, options) };
      } catch (error) {
        if (!(error instanceof QboFault)) throw error;
        return { bId: echo, ...itemFault(error) };
      }
    });
    return { BatchItemResponse: responses };
  } finally {
    company.batchCreated = undefined;
  }
}

function runItem(company: QboCompany, item: JsonObject, nowMs: number, options: TxnWriteOptions): JsonObject {
  if (typeof item.Query === 'string') return { QueryResponse: executeQuery(company, parseQuery(item.Query)).QueryResponse };
  const entityKeys = Object.keys(item).filter((key) => key !== 'bId' && key !== 'operation' && key !== 'optionsData');
  const key = entityKeys[0];
  const kind: EntityKind | undefined = key === undefined ? undefined : entityKind(key);
  if (key === undefined || kind === undefined || entityKeys.length !== 1) {
    throw QboFaults.businessValidation(
      `A batch item carries exactly one entity (e.g. "Customer": {…}) or a "Query"; got ${entityKeys.length === 0 ? 'none' : entityKeys.join(', ')}.`,
    );
  }
  const operation = typeof item.operation === 'string' ? item.operation.toLowerCase() : 'create';
  if (!OPERATIONS.has(operation)) throw QboFaults.unsupportedOperation(`Batch operation ${operation} is not supported; use create, update or delete.`);
  const rendered = writeEntity(company, kind, operation as 'create' | 'update' | 'delete', item[key], nowMs, options);
  if (operation === 'create' && typeof rendered.Id === 'string') {
    const created = findRecord(company, kind, rendered.Id);
    if (created !== undefined) company.batchCreated?.add(created);
  }
  return { [kind]: rendered };
}

function findRecord(company: QboCompany, kind: EntityKind, id: string) {
  switch (kind) {
    case 'Customer':
      return company.customers.get(id);
    case 'Vendor':
      return company.vendors.get(id);
    case 'Employee':
      return company.employees.get(id);
    case 'Item':
    case 'Account':
    case 'Term':
      return company.lists[kind].get(id);
    case 'Invoice':
    case 'Bill':
    case 'Payment':
    case 'SalesReceipt':
    case 'CreditMemo':
    case 'Estimate':
      return company.txns[kind].get(id);
  }
}
