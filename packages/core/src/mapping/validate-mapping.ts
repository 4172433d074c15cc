import type { FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule, MappingProblem } from './field-mapping.js';
import { parseCanonicalPath } from './read-canonical-field.js';

const TRANSFORMS = new Set(['none', 'trim', 'upper', 'lower', 'truncate', 'phone_e164']);

const sendsOut = (rule: FieldRule): boolean => rule.enabled && (rule.direction === 'out' || rule.direction === 'both');

const nameOf = (spec: FieldSpec): string => `${spec.label} (${spec.id})`;

/**
 * Checks a mapping against a connector's field catalog. Every problem names the field and the fix;
 * an empty list means the mapping can be saved. Rules:
 * - a target must exist in the catalog; a secure target (card or bank numbers) is never mappable
 * - an enabled rule that writes (out/both) needs a writable target, and only one rule may write a target
 * - every required catalog field needs an enabled rule writing it (it cannot be switched off)
 * - a source must be a canonical Contact path; truncate needs a positive maxLength
 */
export function validateMapping(mapping: FieldMapping, catalog: readonly FieldSpec[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const byId = new Map(catalog.map((spec) => [spec.id, spec] as const));
  if (!Number.isFinite(Date.parse(mapping.effectiveFrom))) {
    problems.push({ field: 'effectiveFrom', code: 'bad_effective_from', message: `effectiveFrom "${mapping.effectiveFrom}" is not a date`, fix: 'give an ISO 8601 timestamp such as 2026-01-31T00:00:00Z' });
  }
  const writers = new Map<string, FieldRule[]>();
  for (const rule of mapping.rules) {
    const spec = byId.get(rule.target);
    if (!spec) {
      const hint = catalog.find((s) => s.canonical === rule.source);
      problems.push({
        field: rule.target,
        code: 'unknown_target',
        message: `"${rule.target}" is not a field of this connection`,
        fix: hint ? `choose ${nameOf(hint)} or another field from the catalog` : 'choose a field from the connection\'s field catalog',
      });
      continue;
    }
    if (spec.secure) {
      problems.push({ field: spec.id, code: 'secure_target', message: `${nameOf(spec)} holds secure data (card or bank numbers) and is never mapped`, fix: 'remove this rule' });
      continue;
    }
    if (parseCanonicalPath(rule.source) === null) {
      problems.push({ field: spec.id, code: 'unknown_source', message: `${nameOf(spec)} reads "${rule.source}", which is not a contact field`, fix: 'choose a contact field such as displayName, emails[primary], phones[mobile] or addresses[billing].city' });
    }
    if (!TRANSFORMS.has(rule.transform.kind)) {
      problems.push({ field: spec.id, code: 'bad_transform', message: `${nameOf(spec)} uses the unknown transform "${rule.transform.kind}"`, fix: 'use one of none, trim, upper, lower, truncate, phone_e164' });
    } else if (rule.transform.kind === 'truncate' && !(Number.isInteger(rule.transform.maxLength) && rule.transform.maxLength > 0)) {
      problems.push({ field: spec.id, code: 'bad_transform', message: `${nameOf(spec)} truncates to ${rule.transform.maxLength} characters`, fix: 'give truncate a whole number of characters above 0' });
    }
    if (sendsOut(rule)) {
      if (spec.writable === false) {
        problems.push({ field: spec.id, code: 'read_only_target', message: `${nameOf(spec)} is read-only in the remote system`, fix: 'set the direction to "in" or switch the rule off' });
      }
      writers.set(spec.id, [...(writers.get(spec.id) ?? []), rule]);
    }
  }
  for (const [target, rules] of writers) {
    if (rules.length > 1) {
      problems.push({ field: target, code: 'duplicate_target', message: `${rules.length} rules write ${target} (from ${rules.map((r) => r.source).join(', ')})`, fix: 'keep one of them and switch the others off' });
    }
  }
  for (const spec of catalog) {
    if (spec.required && !writers.has(spec.id)) {
      problems.push({
        field: spec.id,
        code: 'required_target_off',
        message: `Mapping is missing required field ${nameOf(spec)}; it cannot be switched off`,
        fix: `map a contact field${spec.canonical ? ` (usually ${spec.canonical})` : ''} to it with direction out or both`,
      });
    }
  }
  return problems;
}
