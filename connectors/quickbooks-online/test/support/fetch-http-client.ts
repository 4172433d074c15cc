import { ConnectorErrors, type Credentials, type HttpClient, type HttpRequest, type HttpResponse } from '@ledgerlink/connector-sdk';

/**
 * A small fetch-based HttpClient for tests. It stands in for the host's client (apps/api), which
 * adds the bearer token, the shared rate budget and time-outs; this one only adds the token.
 * Every request it sends is recorded so tests can look at what went over the wire.
 */
export interface RecordingHttpClient extends HttpClient {
  readonly sent: { method: string; url: string; body?: unknown }[];
}

export function fetchHttpClient(credentials: () => Credentials): RecordingHttpClient {
  const sent: RecordingHttpClient['sent'] = [];
  return {
    sent,
    async request(request: HttpRequest): Promise<HttpResponse> {
      const url = withQuery(request.url, request.query);
      const headers: Record<string, string> = { ...request.headers };
      if (request.authenticated !== false) headers.Authorization = `Bearer ${credentials().accessToken}`;
      let body: string | undefined;
      if (request.body !== undefined) {
        body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
        if (typeof request.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
      }
      sent.push({ method: request.method, url, ...(request.body !== undefined ? { body: request.body } : {}) });
      let response: Response;
      try {
        response = await fetch(url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(request.timeoutMs ?? 30_000) });
      } catch (error) {
        const message = `${request.method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
        throw request.method === 'GET' ? ConnectorErrors.transient(message) : ConnectorErrors.uncertain(message);
      }
      const text = await response.text();
      const lowered: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        lowered[key.toLowerCase()] = value;
      });
      return { status: response.status, headers: lowered, body: parseJson(text, lowered['content-type']), text };
    },
  };
}

function withQuery(url: string, query: HttpRequest['query']): string {
  const parts = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  if (parts.length === 0) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '' || (contentType !== undefined && !/json/i.test(contentType))) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
