import { type Clock, ConnectorErrors, type Credentials, type HttpClient, type HttpRequest, type HttpResponse, type Logger } from '@ledgerlink/connector-sdk';

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 2 * 60 * 1000;
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CredentialSource {
  current(): Credentials;
  /** Fresh credentials after `used` expired or was refused; the source persists any rotation. */
  refresh(used: Credentials): Promise<Credentials>;
}

export interface HostHttpClientOptions {
  readonly credentials: CredentialSource;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Named in error messages a person reads ("QuickBooks Online did not answer..."). */
  readonly providerName: string;
  readonly defaultTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const NOTHING_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The HttpClient handed to connectors: adds the bearer token, refreshes it when it expires within
 * two minutes or once after a 401, and times out. It resolves for every HTTP status; it rejects
 * with `transient` when nothing reached the provider and `uncertain` when a write may have.
 */
export function createHostHttpClient(options: HostHttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutDefault = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(request: HttpRequest, credentials: Credentials | null): Promise<HttpResponse> {
    const url = new URL(request.url);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [key, value] of Object.entries(request.headers ?? {})) headers[key.toLowerCase()] = value;
    let body: string | undefined;
    if (request.body !== undefined) {
      if (typeof request.body === 'string') {
        body = request.body;
      } else {
        body = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    if (credentials) headers.authorization = `Bearer ${credentials.accessToken}`;
    const timeoutMs = request.timeoutMs ?? timeoutDefault;
    const isWrite = request.method !== 'GET';
    const started = options.clock.now().getTime();
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { method: request.method, headers, body: body ?? null, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      text = await response.text();
    } catch (error) {
      const code = errorCode(error);
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      const where = `${request.method} ${url.origin}${url.pathname}`;
      options.logger.warn('provider request failed', { method: request.method, url: `${url.origin}${url.pathname}`, code, timedOut });
      if (!timedOut && code && NOTHING_SENT.has(code)) {
        throw ConnectorErrors.transient(`${options.providerName} could not be reached (${code}) for ${where}; nothing was sent`, { providerCode: code });
      }
      const reason = timedOut ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `dropped the connection (${code ?? (error as Error).message})`;
      if (isWrite) throw ConnectorErrors.uncertain(`${options.providerName} ${reason} for ${where}; the write may or may not have happened`);
      throw ConnectorErrors.transient(`${options.providerName} ${reason} for ${where}`);
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key.toLowerCase()] = value;
    });
    options.logger.debug('provider request', {
      method: request.method,
      url: `${url.origin}${url.pathname}`,
      status: response.status,
      ms: options.clock.now().getTime() - started,
    });
    return { status: response.status, headers: responseHeaders, body: parseBody(text, responseHeaders['content-type']), text };
  }

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      if (request.authenticated === false) return send(request, null);
      let credentials = options.credentials.current();
      if (expiresSoon(credentials, options.clock.now())) credentials = await options.credentials.refresh(credentials);
      const response = await send(request, credentials);
      if (response.status !== 401) return response;
      options.logger.info('provider refused the access token; refreshing once', { status: 401 });
      const fresh = await options.credentials.refresh(credentials);
      return send(request, fresh);
    },
  };
}

export function expiresSoon(credentials: Credentials, now: Date): boolean {
  if (!credentials.expiresAt) return false;
  const expires = Date.parse(credentials.expiresAt);
  return Number.isFinite(expires) && expires - now.getTime() < REFRESH_MARGIN_MS;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return null;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
