import type { LimitTracker, WindowRule } from '../limits.js';

/**
 * Xero's API limits (xero-api.md §5) on the shared LimitTracker: per tenant 60 calls a minute,
 * 5000 a day and 5 in flight; per app 10,000 a minute across tenants. The remaining counts become
 * `X-MinLimit-Remaining`, `X-DayLimit-Remaining` and `X-AppMinLimit-Remaining`; a refusal names the
 * limit in `X-Rate-Limit-Problem` (minute | day | concurrent | appminute).
 */
export const XERO_LIMITS = { minute: 60, day: 5000, concurrent: 5, appMinute: 10_000 } as const;

const TENANT_RULES: readonly WindowRule[] = [
  { id: 'day', limit: XERO_LIMITS.day, windowMs: 86_400_000 },
  { id: 'minute', limit: XERO_LIMITS.minute, windowMs: 60_000 },
];
const APP_RULES: readonly WindowRule[] = [{ id: 'appminute', limit: XERO_LIMITS.appMinute, windowMs: 60_000 }];

export type XeroLimitVerdict =
  | { readonly ok: true; readonly release: () => void; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problem: string; readonly retryAfterSeconds: number; readonly headers: Readonly<Record<string, string>> };

function header(name: string, value: number | undefined, headers: Record<string, string>): void {
  if (value !== undefined) headers[name] = String(value);
}

/**
 * Counts one call for an app, and for a tenant when the call is on its behalf (tenantless calls
 * such as `/connections` only get the app header). A refusal counts nothing.
 */
export function acquireXeroLimits(tracker: LimitTracker, clientId: string, tenantId: string | undefined): XeroLimitVerdict {
  const app = tracker.acquire(`xero:app:${clientId}`, APP_RULES);
  if (tenantId === undefined) {
    const headers: Record<string, string> = {};
    header('X-AppMinLimit-Remaining', app.remaining.appminute, headers);
    if (!app.ok) return { ok: false, problem: app.ruleId, retryAfterSeconds: app.retryAfterSeconds, headers };
    return { ok: true, release: app.release, headers };
  }
  if (!app.ok) {
    const headers: Record<string, string> = {};
    header('X-AppMinLimit-Remaining', app.remaining.appminute, headers);
    return { ok: false, problem: app.ruleId, retryAfterSeconds: app.retryAfterSeconds, headers };
  }
  const tenant = tracker.acquire(`xero:tenant:${clientId}:${tenantId.toLowerCase()}`, TENANT_RULES, { id: 'concurrent', max: XERO_LIMITS.concurrent });
  const headers: Record<string, string> = {};
  header('X-DayLimit-Remaining', tenant.remaining.day, headers);
  header('X-MinLimit-Remaining', tenant.remaining.minute, headers);
  header('X-AppMinLimit-Remaining', app.remaining.appminute, headers);
  if (!tenant.ok) return { ok: false, problem: tenant.ruleId, retryAfterSeconds: tenant.retryAfterSeconds, headers };
  return { ok: true, release: tenant.release, headers };
}
