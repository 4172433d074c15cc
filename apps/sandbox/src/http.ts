import type { ZodType } from 'zod';
import type { IncomingHttpHeaders } from 'node:http';

/** A request as route handlers see it: the body is already read. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  /** Path parameters of the matched route (`:realmId` → `params.realmId`). */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What a handler answers; the server serialises it. Plain data, so a response can be replayed. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Strings go out as they are; anything else is JSON. `undefined` sends no body. */
  readonly body?: unknown;
}

export type Handler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

export function html(status: number, body: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

export function redirect(location: string): SandboxResponse {
  return { status: 302, headers: { location }, body: undefined };
}

/** A short JSON error for the control API and other non-provider routes. */
export function problem(status: number, message: string): SandboxResponse {
  return json(status, { error: message });
}

/** Parses a JSON body, or returns undefined when it is empty or not JSON. */
export function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Parses an `application/x-www-form-urlencoded` body or, failing that, a JSON object of strings. */
export function parseForm(request: SandboxRequest): URLSearchParams {
  const type = headerValue(request.headers['content-type']) ?? '';
  if (type.includes('application/json')) {
    const parsed = parseJson(request.body);
    const form = new URLSearchParams();
    if (parsed !== null && typeof parsed === 'object') {
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === 'string') form.set(key, value);
      }
    }
    return form;
  }
  return new URLSearchParams(request.body);
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: SandboxRequest): string | undefined {
  const header = headerValue(request.headers.authorization);
  const match = header === undefined ? null : /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Validates a JSON request body; on failure answers 400 naming the field and showing an example. */
export function parseBody<T>(schema: ZodType<T>, request: SandboxRequest, example: string): T | SandboxResponse {
  const result = schema.safeParse(parseJson(request.body) ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  return problem(400, `${field}: ${issue?.message ?? 'invalid'}. Send JSON like ${example}.`);
}

/** Whether a handler step returned a finished response instead of a value. */
export function isResponse(value: unknown): value is SandboxResponse {
  return typeof value === 'object' && value !== null && 'status' in value && typeof (value as { status: unknown }).status === 'number';
}
