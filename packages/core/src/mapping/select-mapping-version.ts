import type { FieldMapping } from './field-mapping.js';

/**
 * The mapping version in force at `at` (ISO timestamp): the highest version whose effectiveFrom
 * is not after `at`; null when none is in force yet.
 */
export function selectMappingVersion(versions: readonly FieldMapping[], at: string): FieldMapping | null {
  const when = Date.parse(at);
  if (!Number.isFinite(when)) throw new RangeError(`at: "${at}" is not an ISO 8601 timestamp`);
  let best: FieldMapping | null = null;
  for (const candidate of versions) {
    const from = Date.parse(candidate.effectiveFrom);
    if (!Number.isFinite(from) || from > when) continue;
    if (!best || candidate.version > best.version) best = candidate;
  }
  return best;
}
