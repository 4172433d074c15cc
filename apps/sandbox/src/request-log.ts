/** One request the sandbox answered. Never holds tokens, codes, secrets or bodies. */
export interface RequestLogEntry {
  readonly seq: number;
  /** ISO time (sandbox clock) at which the request arrived. */
  readonly time: string;
  readonly method: string;
  /** Path and query string, with the values of secret-bearing parameters replaced by `***`. */
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
}

/** Query parameters whose values are credentials or one-time secrets. */
const SECRET_PARAMS = new Set(['code', 'state', 'token', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'password']);

/** Replaces the values of secret-bearing query parameters so the path can be shown and stored. */
export function redactPath(url: URL): string {
  // HubSpot puts tokens in the path: /oauth/v1/access-tokens/:token and /oauth/v1/refresh-tokens/:token.
  const pathname = url.pathname.replace(/(\/oauth\/v1\/(?:access|refresh)-tokens\/)[^/]+/i, '$1***');
  if (url.search === '') return pathname;
  const parts: string[] = [];
  for (const [key, value] of url.searchParams) {
    const shown = SECRET_PARAMS.has(key.toLowerCase()) ? '***' : value;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(shown)}`);
  }
  return `${pathname}?${parts.join('&')}`;
}

/** A bounded, in-memory log of recent requests (oldest dropped first). */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 5000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** The most recent `limit` entries, oldest first. */
  recent(limit: number): RequestLogEntry[] {
    return this.entries.slice(Math.max(0, this.entries.length - limit));
  }

  clear(): void {
    this.entries = [];
  }
}
