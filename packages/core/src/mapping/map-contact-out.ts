import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import { applyMapping } from './apply-mapping.js';
import type { FieldMapping, MappingProblem } from './field-mapping.js';
import { parseCanonicalPath } from './read-canonical-field.js';
import { writeCanonicalField } from './write-canonical-field.js';

/** Problems of the record itself (the mapping's own problems only skip their rule). */
const RECORD_PROBLEMS: ReadonlySet<MappingProblem['code']> = new Set(['required_value_missing', 'too_long', 'transform_failed']);

export interface MappedContact {
  /**
   * The contact as the connector should write it: every catalog field holds the value its
   * mapping rule produced (source, transform, length policy) at the path the connector reads for
   * that field; fields whose rule is off, inbound only, secure or without a value are absent, so
   * the connector leaves them alone. Parts of the contact the catalog does not describe are kept.
   */
  readonly contact: Contact;
  /** Why this record cannot be written as mapped (required value missing, too long, transform failed). */
  readonly problems: readonly MappingProblem[];
}

/**
 * The outbound side of a field mapping for connectors that take the canonical Contact: the
 * payload of applyMapping (remote field id → value) written back onto a copy of the contact at
 * each target's canonical path. Connectors stay unaware of mappings; what they send is exactly
 * what the mapping allows.
 */
export function mapContactOut(contact: Contact, mapping: FieldMapping, catalog: readonly FieldSpec[]): MappedContact {
  const { payload, problems } = applyMapping(contact, mapping, catalog);
  let mapped = contact;
  for (const spec of catalog) {
    if (!spec.canonical || spec.canonical === 'kind' || spec.canonical === 'displayName' || parseCanonicalPath(spec.canonical) === null) continue;
    mapped = writeCanonicalField(mapped, spec.canonical, null);
  }
  const byId = new Map(catalog.map((spec) => [spec.id, spec] as const));
  for (const [target, value] of Object.entries(payload)) {
    const path = byId.get(target)?.canonical;
    if (!path || path === 'kind' || parseCanonicalPath(path) === null) continue;
    mapped = writeCanonicalField(mapped, path, value);
  }
  return { contact: mapped, problems: problems.filter((p) => RECORD_PROBLEMS.has(p.code)) };
}
