/**
 * Xero's date formats. Timestamps are MS-JSON dates (`/Date(1503348544227+0000)/`, the envelope's
 * `DateTimeUTC` without the zone), date-only fields are midnight UTC in the same form plus an ISO
 * `…String` twin, and `UpdatedDateUTCString` is ISO to the second (xero-api.md §1.3).
 */

/** `/Date(1503348544227+0000)/` — how Xero writes `UpdatedDateUTC` and date fields. */
export function msDate(ms: number): string {
  return `/Date(${Math.trunc(ms)}+0000)/`;
}

/** `/Date(1551399323399)/` — the envelope's `DateTimeUTC` has no zone suffix. */
export function msDateNoZone(ms: number): string {
  return `/Date(${Math.trunc(ms)})/`;
}

/** `2019-11-14T18:10:38Z` — `UpdatedDateUTCString`. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2019-03-11T00:00:00` — `DateString`/`DueDateString` of a date-only field (ms at UTC midnight). */
export function dateString(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 19);
}

/** The UTC midnight of the day that contains `ms`. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}

/**
 * A date-only value sent by a client: `YYYY-MM-DD`, an ISO date-time (the date part is used), or
 * an MS date `/Date(…)/`. Returns UTC midnight in ms, or undefined when the text is none of those.
 */
export function parseRequestDate(value: string): number | undefined {
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value.trim());
  if (ms !== null) return startOfUtcDay(Number(ms[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value.trim());
  if (iso === null) return undefined;
  const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const result = Date.UTC(year, month - 1, day);
  const check = new Date(result);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return result;
}

/**
 * The `If-Modified-Since` header in the formats clients send: ISO 8601 with or without
 * milliseconds, with `Z`, an offset or no zone (read as UTC, as Xero's old docs say), and
 * RFC 1123 (`Tue, 15 Nov 1994 08:12:31 GMT`). Undefined when it is none of those.
 */
export function parseIfModifiedSince(value: string): number | undefined {
  const text = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (iso !== null) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = iso;
    const fracMs = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fracMs);
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (/^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+(GMT|UTC)$/.test(text)) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}
