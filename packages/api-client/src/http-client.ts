import { ApiError, type RouteDef } from '@ledgerlink/contract';
import { ApiClientError, type FieldError } from './api-client-error.js';
import type { CallArgs, CallInput, CallResult, RouteTable } from './route-types.js';

export interface HttpClientOptions {
  /** Origin (and optional prefix) of the API, e.g. `http://127.0.0.1:4000`. `''` (default) = same origin. */
  baseUrl?: string;
  /** The fetch to use; defaults to the global one, looked up at call time. */
  fetch?: typeof fetch;
  /** Extra headers on every request, e.g. `{ authorization: 'Bearer <api key>' }` for a host app. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /**
   * The CSRF token sent as `X-CSRF-Token` on POST, PUT and DELETE. Unset: the client uses the
   * `ll_csrf` cookie when it runs in a browser, else the `csrfToken` of the last login or me
   * answer. Callers with an API key need none (bearer requests are exempt).
   */
  csrfToken?: string | (() => string | undefined);
}

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIE = 'll_csrf';

/** The `ll_csrf` cookie of the page, when there is a page. */
function csrfFromDocument(): string | undefined {
  const doc = (globalThis as { document?: { cookie?: unknown } }).document;
  if (!doc || typeof doc.cookie !== 'string') return undefined;
  for (const part of doc.cookie.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === CSRF_COOKIE) {
      const raw = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** A client for any route table shaped like the contract's: one typed `call` for every route. */
export interface HttpClient<T extends RouteTable> {
  readonly routes: T;
  /**
   * Calls a route by name. Input is checked against the route's schemas before anything is sent,
   * the response is parsed with the route's response schema, and every failure is an `ApiClientError`.
   */
  call<N extends keyof T & string>(name: N, ...args: CallArgs<T[N]>): Promise<CallResult<T[N]>>;
}

interface SafeParser {
  safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

type LooseInput = { params?: unknown; query?: unknown; body?: unknown; signal?: AbortSignal | undefined };

const PATH_PARAM = /:([A-Za-z0-9_]+)/g;

export function createHttpClient<T extends RouteTable>(routes: T, options: HttpClientOptions = {}): HttpClient<T> {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  /** The csrfToken of the last answer that carried one (login, me). */
  let rememberedCsrf: string | undefined;
  const csrfToken = (): string | undefined => {
    const explicit = typeof options.csrfToken === 'function' ? options.csrfToken() : options.csrfToken;
    return explicit ?? csrfFromDocument() ?? rememberedCsrf;
  };

  async function call<N extends keyof T & string>(name: N, ...args: CallArgs<T[N]>): Promise<CallResult<T[N]>> {
    const route: RouteDef | undefined = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (!route) {
      throw new ApiClientError({ status: 0, code: 'unknown_route', message: `There is no route named "${name}" in this client's route table.` });
    }
    const input: LooseInput = (args[0] as CallInput<T[N]> | undefined) ?? {};
    const path = buildPath(name, route, input.params);
    const query = buildQuery(name, route, input.query);
    let body: string | undefined;
    if (route.body) {
      check(name, 'body', route.body, input.body);
      body = JSON.stringify(input.body);
    }

    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(typeof options.headers === 'function' ? options.headers() : options.headers),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (route.method !== 'GET' && !Object.keys(headers).some((key) => key.toLowerCase() === CSRF_HEADER)) {
      const token = csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }

    const init: RequestInit = { method: route.method, headers, credentials: 'include' };
    if (body !== undefined) init.body = body;
    if (input.signal) init.signal = input.signal;

    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}${query}`, init);
    } catch (cause) {
      if (input.signal?.aborted) {
        throw new ApiClientError({ status: 0, code: 'aborted', message: `The ${name} request was cancelled.`, cause });
      }
      throw new ApiClientError({
        status: 0,
        code: 'network_error',
        message: `Could not reach the Ledgerlink API (${name}): ${cause instanceof Error ? cause.message : String(cause)}. Check that it is running and reachable.`,
        cause,
      });
    }

    const text = await response.text();
    let json: unknown = undefined;
    let jsonError: unknown = undefined;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch (error) {
        jsonError = error;
      }
    }

    if (!response.ok) {
      const parsed = ApiError.safeParse(json);
      if (parsed.success) {
        throw new ApiClientError({ status: response.status, code: parsed.data.error.code, message: parsed.data.error.message, fields: parsed.data.error.fields });
      }
      const statusText = response.statusText ? ` ${response.statusText}` : '';
      throw new ApiClientError({
        status: response.status,
        code: `http_${response.status}`,
        message: `The Ledgerlink API answered ${name} with HTTP ${response.status}${statusText} and no error description.`,
      });
    }

    if (jsonError !== undefined || text.length === 0) {
      throw new ApiClientError({
        status: response.status,
        code: 'invalid_response',
        message: `The Ledgerlink API answered ${name} with a body that is not JSON.`,
        cause: jsonError,
      });
    }
    const parsed = (route.response as unknown as SafeParser).safeParse(json);
    if (!parsed.success) {
      const fields = toFields(parsed.error.issues);
      const first = fields[0];
      throw new ApiClientError({
        status: response.status,
        code: 'invalid_response',
        message: `The Ledgerlink API's answer to ${name} does not match the contract${first ? ` (${first.path || 'body'}: ${first.message})` : ''}. Are the console and the API the same version?`,
        fields,
      });
    }
    const data = parsed.data as { csrfToken?: unknown } | null;
    if (data && typeof data === 'object' && typeof data.csrfToken === 'string') rememberedCsrf = data.csrfToken;
    return parsed.data as CallResult<T[N]>;
  }

  return { routes, call };
}

function buildPath(name: string, route: RouteDef, params: unknown): string {
  if (route.params) check(name, 'params', route.params, params);
  const values = (params ?? {}) as Record<string, unknown>;
  const missing: FieldError[] = [];
  const path = route.path.replace(PATH_PARAM, (_match, key: string) => {
    const value = values[key];
    if (value === undefined || value === null || String(value) === '') {
      missing.push({ path: key, message: `Path parameter "${key}" is required.` });
      return '';
    }
    return encodeURIComponent(String(value));
  });
  if (missing.length > 0) throw invalidRequest(name, missing);
  return path;
}

function buildQuery(name: string, route: RouteDef, query: unknown): string {
  if (query === undefined) return '';
  if (route.query) check(name, 'query', route.query, query);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function check(name: string, part: 'params' | 'query' | 'body', schema: unknown, value: unknown): void {
  const parsed = (schema as SafeParser).safeParse(value);
  if (!parsed.success) throw invalidRequest(name, toFields(parsed.error.issues), part);
}

function invalidRequest(name: string, fields: FieldError[], part?: string): ApiClientError {
  const detail = fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message)).join('; ');
  return new ApiClientError({
    status: 0,
    code: 'invalid_request',
    message: `Not sent: the ${part ? `${part} of ` : ''}${name} is invalid (${detail}).`,
    fields,
  });
}

function toFields(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldError[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
