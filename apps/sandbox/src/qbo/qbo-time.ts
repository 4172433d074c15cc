const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Formats a time the way QuickBooks Online does: local time of the company with its UTC offset,
 * e.g. `2015-07-23T10:58:12-07:00` (MetaData) or `2015-07-23T10:58:12.099-07:00` (the top-level
 * `time` of every response, with milliseconds).
 */
export function formatQboTime(ms: number, timeZone: string, withMillis = false): string {
  const second = Math.floor(ms / 1000);
  let cache = secondCache.get(timeZone);
  if (cache === undefined) {
    cache = new Map();
    secondCache.set(timeZone, cache);
  }
  let base = cache.get(second);
  if (base === undefined) {
    base = formatSecond(second * 1000, timeZone);
    if (cache.size >= SECOND_CACHE_SIZE) cache.clear();
    cache.set(second, base);
  }
  if (!withMillis) return `${base.local}${base.offset}`;
  return `${base.local}.${String(Math.floor(((ms % 1000) + 1000) % 1000)).padStart(3, '0')}${base.offset}`;
}

/** Formatted seconds per zone: Intl's formatToParts is slow and a busy sandbox formats the same few seconds again and again. */
const secondCache = new Map<string, Map<number, { local: string; offset: string }>>();
const SECOND_CACHE_SIZE = 10_000;

function formatSecond(ms: number, timeZone: string): { local: string; offset: string } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  const offsetText = parts.timeZoneName ?? 'GMT';
  const offset = offsetText === 'GMT' ? '+00:00' : offsetText.replace('GMT', '');
  return { local: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`, offset };
}

/** A date (no time) in the company's zone, e.g. `2026-11-23`. */
export function formatQboDate(ms: number, timeZone: string): string {
  return formatQboTime(ms, timeZone).slice(0, 10);
}
