import type { FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, MappingProblem } from './field-mapping.js';
import { validateMapping } from './validate-mapping.js';

export interface InboundValues {
  /** Canonical path → the remote value (null when the remote field is empty). */
  readonly values: Readonly<Record<string, string | null>>;
  readonly problems: readonly MappingProblem[];
}

/**
 * Reads a remote record's fields (remote field id → value) into canonical paths, for the enabled
 * rules with direction in or both. Fields the remote record does not carry are left out (absent
 * is not empty). Values come in as the remote system holds them: transforms apply on the way out.
 */
export function mapInbound(remote: Readonly<Record<string, string | null>>, mapping: FieldMapping, catalog: readonly FieldSpec[]): InboundValues {
  const problems = validateMapping(mapping, catalog).filter((p) => p.code !== 'required_target_off' && p.code !== 'read_only_target');
  const broken = new Set(problems.filter((p) => p.code !== 'bad_effective_from').map((p) => p.field));
  const values: Record<string, string | null> = {};
  const readers = new Map<string, string>();
  const clashes: MappingProblem[] = [];
  for (const rule of mapping.rules) {
    if (!rule.enabled || rule.direction === 'out' || broken.has(rule.target)) continue;
    if (!Object.hasOwn(remote, rule.target)) continue;
    const earlier = readers.get(rule.source);
    if (earlier !== undefined) {
      clashes.push({ field: rule.target, code: 'duplicate_target', message: `${rule.source} is read in from both ${earlier} and ${rule.target}`, fix: 'set one of them to direction out or switch it off' });
      continue;
    }
    readers.set(rule.source, rule.target);
    const value = remote[rule.target] ?? null;
    values[rule.source] = value === null || value.trim() === '' ? null : value;
  }
  return { values, problems: [...problems, ...clashes] };
}
