import type { FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule } from './field-mapping.js';
import { parseCanonicalPath } from './read-canonical-field.js';

/**
 * Version 1 of a connection's mapping, from the connector's catalog: every field with a canonical
 * counterpart, except secure ones, sent out (read-only fields read in), text trimmed, values over
 * the length limit rejected (notes truncated).
 */
export function defaultMapping(catalog: readonly FieldSpec[], effectiveFrom: string): FieldMapping {
  const rules: FieldRule[] = [];
  const taken = new Set<string>();
  for (const spec of catalog) {
    if (spec.secure || !spec.canonical || parseCanonicalPath(spec.canonical) === null || taken.has(spec.id)) continue;
    taken.add(spec.id);
    const text = spec.type === 'string' || spec.type === 'email';
    rules.push({
      source: spec.canonical,
      target: spec.id,
      enabled: true,
      direction: spec.writable === false ? 'in' : 'out',
      transform: text ? { kind: 'trim' } : { kind: 'none' },
      overLength: spec.canonical === 'notes' ? 'truncate' : 'reject',
    });
  }
  return { version: 1, effectiveFrom, rules };
}
