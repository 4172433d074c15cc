import type { CheckpointStore, Credentials, HttpClient, HttpRequest, HttpResponse } from '../context.js';
import { ConnectorErrors } from '../errors.js';

/** A request the test client sent (or answered from `respondNext`), for tests to look at. */
export interface SentRequest {
  readonly method: HttpRequest['method'];
  /** The URL with its query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** True when the answer came from `respondNext` and nothing reached the server. */
  readonly injected: boolean;
}

/** A canned answer for `respondNext`. */
export interface CannedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
}

export interface TestHttpClient extends HttpClient {
  /** Every request, in order. */
  readonly sent: SentRequest[];
  /** The next request (optionally only one matching `when`) is answered with `response` instead of reaching the server. */
  respondNext(response: CannedResponse, when?: (request: HttpRequest) => boolean): void;
}

export interface TestHttpClientOptions {
  /** Default 30 000 ms, as the host's. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * A fetch-based HttpClient standing in for the host's in connector tests. Like the host's it
 * adds `Authorization: Bearer <access token>` (unless `authenticated: false`), serialises JSON
 * bodies, lower-cases response headers, parses JSON answers, resolves for every HTTP status and
 * rejects with `transient` (a read that failed) or `uncertain` (a write that may have happened).
 * Unlike the host's it neither refreshes tokens nor shares a rate budget.
 */
export function createTestHttpClient(credentials: () => Credentials, options: TestHttpClientOptions = {}): TestHttpClient {
  const sent: SentRequest[] = [];
  const canned: { response: CannedResponse; when?: (request: HttpRequest) => boolean }[] = [];
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    sent,
    respondNext(response, when) {
      canned.push(when ? { response, when } : { response });
    },
    async request(request: HttpRequest): Promise<HttpResponse> {
      const url = withQuery(request.url, request.query);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers ?? {})) headers[key.toLowerCase()] = value;
      headers.accept ??= 'application/json';
      if (request.authenticated !== false) headers.authorization = `Bearer ${credentials().accessToken}`;
      let body: string | undefined;
      if (request.body !== undefined) {
        body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
        if (typeof request.body !== 'string') headers['content-type'] ??= 'application/json';
      }
      const cannedIndex = canned.findIndex((c) => !c.when || c.when(request));
      const record = (injected: boolean) => sent.push({ method: request.method, url, headers: redact(headers), ...(request.body !== undefined ? { body: request.body } : {}), injected });
      if (cannedIndex >= 0) {
        const [{ response }] = canned.splice(cannedIndex, 1) as [{ response: CannedResponse }];
        record(true);
        const text = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
        const lowered = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        if (typeof response.body === 'object' && response.body !== null) lowered['content-type'] ??= 'application/json';
        return { status: response.status, headers: lowered, body: parseBody(text, lowered['content-type']), text };
      }
      record(false);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal: AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs ?? 30_000) });
        text = await response.text();
      } catch (error) {
        const message = `${request.method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
        throw request.method === 'GET' ? ConnectorErrors.transient(message) : ConnectorErrors.uncertain(message);
      }
      const lowered: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        lowered[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: lowered, body: parseBody(text, lowered['content-type']), text };
    },
  };
}

/** A CheckpointStore in memory, for tests (the host's is durable). */
export function createMemoryCheckpointStore(initial: Readonly<Record<string, string>> = {}): CheckpointStore & { readonly values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: (stream) => Promise.resolve(values.get(stream)),
    set: (stream, value) => {
      values.set(stream, value);
      return Promise.resolve();
    },
  };
}

function redact(headers: Record<string, string>): Record<string, string> {
  return headers.authorization ? { ...headers, authorization: 'Bearer [redacted]' } : { ...headers };
}

function withQuery(url: string, query: HttpRequest['query']): string {
  const parts = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  if (parts.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '') return text;
  if (contentType?.includes('json') || (contentType === undefined && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
