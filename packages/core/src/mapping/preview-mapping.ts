import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, MappingProblem } from './field-mapping.js';
import { applyMapping } from './apply-mapping.js';

export interface MappingSample {
  /** The record's id, to show next to its changes. */
  readonly id: string;
  readonly contact: Contact;
}

export interface FieldChange {
  /** Remote field id. */
  readonly field: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: string | null;
  readonly after: string | null;
}

export interface RecordPreview {
  readonly id: string;
  readonly changes: readonly FieldChange[];
  /** Problems this record would have under the new mapping that it does not have under the old one. */
  readonly newProblems: readonly MappingProblem[];
}

export interface MappingPreview {
  readonly records: readonly RecordPreview[];
  readonly summary: { readonly records: number; readonly changed: number; readonly withNewProblems: number };
}

const problemKey = (p: MappingProblem): string => `${p.field}\u0000${p.code}\u0000${p.message}`;

/**
 * Dry run of a mapping change: for each sample, what the remote payload would be under the old and
 * the new mapping, field by field. Nothing is written; and a saved change still only reaches
 * records that change after it (no retroactive overwrite).
 */
export function previewMapping(
  oldMapping: FieldMapping,
  newMapping: FieldMapping,
  samples: readonly MappingSample[],
  catalog: readonly FieldSpec[],
): MappingPreview {
  const records = samples.map((sample): RecordPreview => {
    const before = applyMapping(sample.contact, oldMapping, catalog);
    const after = applyMapping(sample.contact, newMapping, catalog);
    const fields = [...new Set([...Object.keys(before.payload), ...Object.keys(after.payload)])].sort();
    const changes: FieldChange[] = [];
    for (const field of fields) {
      const b = before.payload[field] ?? null;
      const a = after.payload[field] ?? null;
      if (b === a) continue;
      changes.push({ field, change: b === null ? 'added' : a === null ? 'removed' : 'changed', before: b, after: a });
    }
    const known = new Set(before.problems.map(problemKey));
    return { id: sample.id, changes, newProblems: after.problems.filter((p) => !known.has(problemKey(p))) };
  });
  return {
    records,
    summary: {
      records: records.length,
      changed: records.filter((r) => r.changes.length > 0).length,
      withNewProblems: records.filter((r) => r.newProblems.length > 0).length,
    },
  };
}
