import type { JsonObject } from '../json.js';
import { QboFaults } from './faults.js';
import { formatQboTime } from './qbo-time.js';
import { QUERYABLE_ENTITIES, entitySpec } from './query-executor.js';
import type { QboCompany } from './store.js';

/** CDC looks back at most 30 days (Intuit: "CDC operations can track changes within the last 30 days"). */
export const CDC_WINDOW_MS = 30 * 86_400_000;
/** Intuit: "Server responses can handle a maximum of 1,000 objects" — applied per entity. */
export const CDC_MAX_OBJECTS = 1000;

interface Change {
  readonly ms: number;
  readonly render: () => JsonObject;
}

/**
 * `GET /cdc?entities=Customer,Invoice&changedSince=…`: every entity changed at or after
 * `changedSince`, oldest first, at most 1000 per entity; deleted transactions and merged-away
 * names as `{"domain":"QBO","status":"Deleted","Id":…,"MetaData":{"LastUpdatedTime":…}}`.
 */
export function changeDataCapture(company: QboCompany, entitiesParam: string | null, changedSinceParam: string | null, nowMs: number): JsonObject {
  if (entitiesParam === null || entitiesParam.trim() === '') {
    throw QboFaults.requiredParameter('entities', ': send entities=Customer,Invoice (a comma-separated list)');
  }
  if (changedSinceParam === null || changedSinceParam.trim() === '') {
    throw QboFaults.requiredParameter('changedSince', ': send changedSince=2026-11-01T00:00:00-07:00');
  }
  const since = Date.parse(changedSinceParam);
  if (Number.isNaN(since)) throw QboFaults.businessValidation(`changedSince '${changedSinceParam}' is not a date-time like 2026-11-01T00:00:00-07:00.`, 'changedSince');
  if (since < nowMs - CDC_WINDOW_MS) {
    throw QboFaults.businessValidation('changedSince must be within the last 30 days. Query with MetaData.LastUpdatedTime for older changes.', 'changedSince');
  }
  const responses: JsonObject[] = [];
  for (const name of entitiesParam.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const spec = entitySpec(name);
    if (spec === undefined) {
      throw QboFaults.businessValidation(`CDC does not support entity '${name}'. Supported: ${QUERYABLE_ENTITIES.join(', ')}.`, 'entities');
    }
    const changes: Change[] = [];
    for (const record of spec.source(company).values()) {
      if (record.updatedMs >= since && !company.merged.has(record.id)) changes.push({ ms: record.updatedMs, render: () => spec.render(company, record) });
    }
    for (const tombstone of company.tombstones) {
      if (tombstone.kind === spec.kind && tombstone.deletedMs >= since) {
        changes.push({ ms: tombstone.deletedMs, render: () => deletedEntry(company, tombstone) });
      }
    }
    changes.sort((a, b) => a.ms - b.ms);
    const page = changes.slice(0, CDC_MAX_OBJECTS);
    responses.push(page.length === 0 ? {} : { [spec.kind]: page.map((change) => change.render()), startPosition: 1, maxResults: page.length });
  }
  return { CDCResponse: [{ QueryResponse: responses.length === 0 ? [{}] : responses }] };
}

function deletedEntry(company: QboCompany, tombstone: { kind: string; id: string; deletedMs: number }): JsonObject {
  return { domain: 'QBO', status: 'Deleted', Id: tombstone.id, MetaData: { LastUpdatedTime: formatQboTime(tombstone.deletedMs, company.timeZone) } };
}

