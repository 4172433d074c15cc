import { ConnectorErrors, type ConnectorError, type HttpResponse } from '@ledgerlink/connector-sdk';
import { XeroApiException, XeroProblem } from './vendor/contact.schema.js';

/** Seconds to wait after a 429 that does not say (Xero's minute window). */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** `Retry-After` (seconds or an HTTP date) → whole seconds in 1…86400. */
export function retryAfterSeconds(header: string | undefined, nowMs = Date.now()): number {
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header.trim());
    const parsed = Number.isFinite(seconds) ? seconds : (Date.parse(header) - nowMs) / 1000;
    if (Number.isFinite(parsed)) return Math.min(86_400, Math.max(1, Math.ceil(parsed)));
  }
  return DEFAULT_RETRY_AFTER_SECONDS;
}

const DUPLICATE_NAME = /^The contact name (.*) is already assigned to another contact\./s;

/** The name Xero quotes in its duplicate-name message, or undefined for any other message. */
export function duplicateNameIn(message: string): string | undefined {
  return DUPLICATE_NAME.exec(message.trim())?.[1];
}

/** The canonical field a Xero validation message is about (for the person fixing it). */
export function fieldOfMessage(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('email')) return 'emails[primary]';
  if (m.includes('contact name') || m.startsWith('name ')) return 'displayName';
  if (m.includes('phone')) return 'phones';
  if (m.includes('address') || m.includes('country') || m.includes('city') || m.includes('postalcode') || m.includes('region')) return 'addresses';
  if (m.includes('taxnumber') || m.includes('tax number')) return 'taxNumber';
  if (m.includes('currency')) return 'currency';
  if (m.includes('firstname')) return 'givenName';
  if (m.includes('lastname')) return 'familyName';
  return 'contact';
}

/** The problem text of an answer, whatever shape it came in (JSON exception, problem details, plain text). */
function describe(response: HttpResponse): string {
  const exception = XeroApiException.safeParse(response.body);
  if (exception.success && (exception.data.Message || exception.data.Elements)) {
    const details = (exception.data.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message));
    return [exception.data.Message, ...details].filter(Boolean).join(': ');
  }
  const problem = XeroProblem.safeParse(response.body);
  if (problem.success && (problem.data.Detail || problem.data.Title)) return [problem.data.Title, problem.data.Detail].filter(Boolean).join(': ');
  return response.text.trim().slice(0, 200).replace(/\s+/g, ' ') || `HTTP ${response.status}`;
}

/**
 * A non-2xx Xero answer → ConnectorError. `mode` says whether a write may have happened: a 5xx
 * after a write is `uncertain` (look before retrying), after a read `transient`.
 */
export function errorFromResponse(response: HttpResponse, mode: 'read' | 'write'): ConnectorError {
  const why = describe(response);
  const status = response.status;
  if (status === 429) {
    const problem = response.headers['x-rate-limit-problem'];
    return ConnectorErrors.rateLimited(`Xero's ${problem ?? 'rate'} limit was reached (${why})`, retryAfterSeconds(response.headers['retry-after']), {
      providerCode: '429',
    });
  }
  if (status === 401) {
    if (/TokenExpired/i.test(why)) return ConnectorErrors.authExpired(`Xero says the access token expired (${why})`, { providerCode: '401' });
    if (/AuthorizationUnsuccessful/i.test(why)) {
      return ConnectorErrors.authRevoked(`Xero refused the request because the connection lacks a scope (${why}); connect the organisation again`, { providerCode: '401' });
    }
    return ConnectorErrors.authRevoked(`Xero refused the access token (${why}); connect the organisation again`, { providerCode: '401' });
  }
  if (status === 403) {
    return ConnectorErrors.authRevoked(`Xero refused access to this organisation (${why}); the organisation may have been disconnected, connect it again`, { providerCode: '403' });
  }
  if (status === 404) return ConnectorErrors.notFound(`Xero has no such record (${why})`, { providerCode: '404' });
  if (status === 400) {
    const exception = XeroApiException.safeParse(response.body);
    const first = exception.success ? (exception.data.Elements ?? []).flatMap((e) => e.ValidationErrors ?? [])[0]?.Message : undefined;
    return ConnectorErrors.validation(first ? fieldOfMessage(first) : 'request', `Xero refused the request: ${why}`, {
      providerCode: exception.success && exception.data.Type ? exception.data.Type : '400',
    });
  }
  const message = `Xero answered HTTP ${status} (${why})`;
  return mode === 'write' ? ConnectorErrors.uncertain(`${message}; the write may have happened`) : ConnectorErrors.transient(`${message}; try again`);
}
