import type { FieldSpec } from '@ledgerlink/connector-sdk';
import type { FieldMapping, FieldRule, MappingProblem } from './field-mapping.js';
import { validateMapping } from './validate-mapping.js';

export interface ReviseMappingInput {
  /** The version in force; null for a connection's first mapping. */
  readonly current: FieldMapping | null;
  readonly rules: readonly FieldRule[];
  readonly catalog: readonly FieldSpec[];
  /** Now (ISO), passed in. */
  readonly now: string;
  /** When the new version applies; default now. Never in the past: a change is never retroactive. */
  readonly effectiveFrom?: string;
}

export type ReviseMappingResult =
  | { readonly ok: true; readonly mapping: FieldMapping }
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

/** Makes the next version of a mapping, or says what stops it (each problem names the field and the fix). */
export function reviseMapping(input: ReviseMappingInput): ReviseMappingResult {
  const effectiveFrom = input.effectiveFrom ?? input.now;
  const next: FieldMapping = { version: (input.current?.version ?? 0) + 1, effectiveFrom, rules: input.rules };
  const problems = validateMapping(next, input.catalog);
  const from = Date.parse(effectiveFrom);
  const now = Date.parse(input.now);
  if (!Number.isFinite(now)) throw new RangeError(`now: "${input.now}" is not an ISO 8601 timestamp`);
  if (Number.isFinite(from) && from < now) {
    problems.push({ field: 'effectiveFrom', code: 'bad_effective_from', message: `effectiveFrom ${effectiveFrom} is in the past; a mapping change never applies retroactively`, fix: 'leave effectiveFrom out (now) or give a later time' });
  }
  const currentFrom = input.current ? Date.parse(input.current.effectiveFrom) : Number.NaN;
  if (Number.isFinite(from) && Number.isFinite(currentFrom) && from < currentFrom) {
    problems.push({ field: 'effectiveFrom', code: 'bad_effective_from', message: `effectiveFrom ${effectiveFrom} is before version ${input.current?.version ?? 0} takes effect (${input.current?.effectiveFrom ?? ''})`, fix: `give a time from ${input.current?.effectiveFrom ?? ''} on` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mapping: next };
}
