import { ConnectorErrors, type ConnectorError, type HttpResponse } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/** HubSpot's error body: `{status: "error", message, correlationId, category, context?, errorType?, policyName?}`. */
export const HubspotErrorBody = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  correlationId: z.string().optional(),
  errorType: z.string().optional(),
  policyName: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type HubspotErrorBody = z.infer<typeof HubspotErrorBody>;

/** Seconds to wait after a 429 for each of HubSpot's policies (no Retry-After is sent). */
const POLICY_WAIT: Readonly<Record<string, number>> = { TEN_SECONDLY_ROLLING: 10, SECONDLY: 1, DAILY: 3600 };

/**
 * Whole seconds to wait after a 429, in 1…86400: `Retry-After` when sent, else the policy's window
 * (`TEN_SECONDLY_ROLLING` 10 s, `SECONDLY` 1 s, `DAILY` an hour), else the interval header, else 10 s.
 */
export function retryAfterSeconds(response: Pick<HttpResponse, 'headers' | 'body'>, nowMs = Date.now()): number {
  const clamp = (seconds: number) => Math.min(86_400, Math.max(1, Math.ceil(seconds)));
  const header = response.headers['retry-after']?.trim();
  if (header) {
    const seconds = Number(header);
    const parsed = Number.isFinite(seconds) ? seconds : (Date.parse(header) - nowMs) / 1000;
    if (Number.isFinite(parsed)) return clamp(parsed);
  }
  const body = HubspotErrorBody.safeParse(response.body);
  const policy = body.success ? body.data.policyName : undefined;
  if (policy !== undefined && POLICY_WAIT[policy] !== undefined) return POLICY_WAIT[policy];
  const interval = Number(response.headers['x-hubspot-ratelimit-interval-milliseconds']);
  if (Number.isFinite(interval) && interval > 0) return clamp(interval / 1000);
  return 10;
}

/** The text of an error answer, whatever shape it came in. */
export function describe(response: Pick<HttpResponse, 'body' | 'text' | 'status'>): string {
  const body = HubspotErrorBody.safeParse(response.body);
  if (body.success && body.data.message) return body.data.message;
  return response.text.trim().slice(0, 200).replace(/\s+/g, ' ') || `HTTP ${response.status}`;
}

/** The HubSpot property a validation message names (`"name":"email"` in the message's JSON), mapped to the canonical field. */
export function fieldOfMessage(message: string): string {
  const property = /"name"\s*:\s*\\?"([a-z0-9_]+)\\?"/i.exec(message)?.[1] ?? /Property \\?"([a-z0-9_]+)\\?"/i.exec(message)?.[1];
  if (/email/i.test(property ?? message)) return 'emails[primary]';
  if (property === undefined) return 'contact';
  return CANONICAL_OF[property] ?? property;
}

/** HubSpot contact property → canonical Contact field, for error messages. */
export const CANONICAL_OF: Readonly<Record<string, string>> = {
  firstname: 'givenName',
  lastname: 'familyName',
  email: 'emails[primary]',
  phone: 'phones[primary]',
  mobilephone: 'phones[mobile]',
  fax: 'phones[fax]',
  company: 'companyName',
  website: 'website',
  address: 'addresses[billing].lines',
  city: 'addresses[billing].city',
  state: 'addresses[billing].region',
  zip: 'addresses[billing].postalCode',
  country: 'addresses[billing].country',
};

/** The id in HubSpot's "Contact already exists. Existing ID: 123" (409 CONFLICT). */
export function existingIdIn(message: string): string | undefined {
  return /Existing ID:\s*(\d+)/i.exec(message)?.[1];
}

/**
 * A non-2xx HubSpot answer → ConnectorError. `mode` says whether a write may have happened: a 5xx
 * after a write is `uncertain` (look before retrying), after a read `transient`.
 */
export function errorFromResponse(response: HttpResponse, mode: 'read' | 'write'): ConnectorError {
  const why = describe(response);
  const body = HubspotErrorBody.safeParse(response.body);
  const category = body.success ? body.data.category : undefined;
  const status = response.status;
  const providerCode = category ?? String(status);
  if (status === 429) {
    const policy = body.success ? body.data.policyName : undefined;
    return ConnectorErrors.rateLimited(`HubSpot's ${policy ?? 'rate'} limit was reached (${why})`, retryAfterSeconds(response), { providerCode: policy ?? '429' });
  }
  if (status === 401) {
    return ConnectorErrors.authExpired(`HubSpot refused the access token (${why}); refresh it, or connect the HubSpot account again if that fails`, { providerCode });
  }
  if (status === 403) {
    return ConnectorErrors.authRevoked(`HubSpot refused access (${why}); connect the HubSpot account again and grant the contacts scopes`, { providerCode });
  }
  if (status === 404) return ConnectorErrors.notFound(`HubSpot has no such record (${why})`, { providerCode });
  if (status === 409) {
    return ConnectorErrors.duplicate(existingIdIn(why), `HubSpot already has a contact with this e-mail (${why}); link to it instead`, { providerCode, field: 'emails[primary]' });
  }
  if (status === 400 || status === 422) {
    return ConnectorErrors.validation(fieldOfMessage(why), `HubSpot refused the request: ${why}`, { providerCode });
  }
  const message = `HubSpot answered HTTP ${status} (${why})`;
  return mode === 'write' ? ConnectorErrors.uncertain(`${message}; the write may have happened`, { providerCode }) : ConnectorErrors.transient(`${message}; try again`, { providerCode });
}
