import { ConnectorErrors, type ConnectorContext, type ConnectorError, type HttpRequest, type HttpResponse } from '@ledgerlink/connector-sdk';
import type { z } from 'zod';
import type { Config } from './config.js';
import { VendorError } from './vendor/contact.schema.js';

/** Seconds to wait after a 429 that does not say. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** Thin API client over the host's HTTP client (auth, rate budget and time-outs are the host's). */
export class ApiClient {
  constructor(private readonly ctx: ConnectorContext<Config>) {}

  /** Sends a request and parses a 2xx answer with `schema`; any other answer becomes a typed ConnectorError. */
  async send<S extends z.ZodType>(request: Omit<HttpRequest, 'url'> & { readonly path: string }, schema: S): Promise<z.output<S>> {
    const { path, ...rest } = request;
    const response = await this.ctx.http.request({ ...rest, url: `${this.ctx.config.baseUrl}/api${path}` });
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      const message = `__DISPLAY_NAME__ answered ${request.method} ${path} in an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`;
      throw request.method === 'GET' ? ConnectorErrors.transient(message) : ConnectorErrors.uncertain(message);
    }
    return parsed.data;
  }
}

/** Maps a non-2xx answer to a ConnectorError. */
export function errorFromResponse(response: HttpResponse): ConnectorError {
  const parsed = VendorError.safeParse(response.body);
  const error = parsed.success ? parsed.data.error : undefined;
  const what = error ? `${error.message} (${error.code})` : `HTTP ${response.status}`;
  const extra = error ? { providerCode: error.code } : {};
  if (response.status === 429) return ConnectorErrors.rateLimited(`__DISPLAY_NAME__ rate limit reached: ${what}`, retryAfterSeconds(response.headers['retry-after']), extra);
  if (response.status === 401) return ConnectorErrors.authExpired(`__DISPLAY_NAME__ did not accept the access token: ${what}`, extra);
  if (response.status === 403) return ConnectorErrors.authRevoked(`__DISPLAY_NAME__ refused access; reconnect: ${what}`, extra);
  if (response.status === 404) return ConnectorErrors.notFound(`__DISPLAY_NAME__ has no such record: ${what}`, extra);
  if (response.status === 409 && error?.code === 'duplicate_name') return ConnectorErrors.duplicate(error.existingId, `__DISPLAY_NAME__ already has a contact with this name: ${what}`, { ...extra, field: 'displayName' });
  if (response.status === 409) return ConnectorErrors.stale(`The __DISPLAY_NAME__ record changed since it was read: ${what}`, extra);
  if (response.status === 410 && error?.code === 'merged') return ConnectorErrors.remoteInactive('merged', `The __DISPLAY_NAME__ contact was merged; use the survivor: ${what}`, error.survivorId, extra);
  if (response.status === 422 || response.status === 400) return ConnectorErrors.validation(error?.field ?? 'contact', `__DISPLAY_NAME__ rejected the data: ${what}`, extra);
  if (response.status >= 500) return ConnectorErrors.transient(`__DISPLAY_NAME__ failed to answer (HTTP ${response.status}); try again: ${what}`, extra);
  return ConnectorErrors.transient(`Unexpected __DISPLAY_NAME__ answer (HTTP ${response.status}): ${what}`, extra);
}

/** Retry-After as seconds: a number or an HTTP date; 60 s when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now: Date = new Date()): number {
  const value = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) return Math.max(1, Math.ceil(Number(value)));
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}
