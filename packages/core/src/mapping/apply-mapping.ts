import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, MappedPayload, MappingProblem } from './field-mapping.js';
import { applyTransform, truncateText } from './apply-transform.js';
import { readCanonicalField } from './read-canonical-field.js';
import { validateMapping } from './validate-mapping.js';

export interface AppliedMapping {
  /** Remote field id → value, for enabled out/both rules whose value passed every check. */
  readonly payload: MappedPayload;
  /** Problems of the mapping itself and of this record; empty when the payload can be sent. */
  readonly problems: readonly MappingProblem[];
}

/**
 * Maps a contact to the remote fields of a connection (direction out/both, enabled rules only).
 * A rule the mapping validation refuses is not applied. A value is transformed, then checked
 * against the target's maxLength under the rule's policy (reject by default, or truncate);
 * a required target without a value is a problem. Empty values are left out of the payload.
 */
export function applyMapping(contact: Contact, mapping: FieldMapping, catalog: readonly FieldSpec[]): AppliedMapping {
  const mappingProblems = validateMapping(mapping, catalog);
  const broken = new Set(mappingProblems.filter((p) => p.code !== 'required_target_off' && p.code !== 'bad_effective_from').map((p) => p.field));
  const problems: MappingProblem[] = [...mappingProblems];
  const payload: Record<string, string> = {};
  const byId = new Map(catalog.map((spec) => [spec.id, spec] as const));
  for (const rule of mapping.rules) {
    if (!rule.enabled || rule.direction === 'in' || broken.has(rule.target)) continue;
    const spec = byId.get(rule.target);
    if (!spec) continue;
    const raw = readCanonicalField(contact, rule.source);
    const label = `${spec.label} (${spec.id})`;
    let value = raw ?? '';
    if (value !== '') {
      const transformed = applyTransform(value, rule.transform);
      if (!transformed.ok) {
        problems.push({ field: spec.id, code: 'transform_failed', message: `${label}: ${transformed.message}`, fix: transformed.fix });
        continue;
      }
      value = transformed.value;
    }
    if (value === '') {
      if (spec.required) {
        problems.push({ field: spec.id, code: 'required_value_missing', message: `${label} is required and the contact has no ${rule.source}`, fix: `fill ${rule.source} on the contact` });
      }
      continue;
    }
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      if ((rule.overLength ?? 'reject') === 'reject') {
        problems.push({
          field: spec.id,
          code: 'too_long',
          message: `${label} takes at most ${spec.maxLength} characters; ${rule.source} has ${value.length}`,
          fix: `shorten ${rule.source} on the contact, or set this field's length policy to truncate`,
        });
        continue;
      }
      // A cut that ends in white space would send it: drop it (the value then fits all the more).
      value = truncateText(value, spec.maxLength).trimEnd();
      if (value === '') continue;
    }
    payload[spec.id] = value;
  }
  return { payload, problems };
}
