import { ConnectorError, ConnectorErrors, type ContactKind, type HttpResponse } from '@ledgerlink/connector-sdk';
import { canonicalFieldOf } from './fields.js';
import { QboFaultEnvelope, QboGatewayFaultEnvelope } from './vendor/responses.schema.js';

/**
 * QBO answers → typed ConnectorErrors. Handles the JSON Fault envelope, the gateway's
 * lower-camel envelope and XML faults (QBO sends XML for some 401/403/429 answers even when
 * JSON was asked for); anything else is mapped by HTTP status alone.
 */

export interface QboFault {
  readonly code?: string;
  readonly message?: string;
  readonly detail?: string;
  readonly element?: string;
  readonly type?: string;
}

/** Seconds to wait after a 429 when QBO does not say (Intuit: "wait 60 seconds before retrying"). */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** The first error of a fault body, in whichever envelope it came. */
export function parseFault(body: unknown, text: string): QboFault | undefined {
  const json = QboFaultEnvelope.safeParse(body);
  if (json.success) {
    const first = json.data.Fault.Error[0];
    return clean({ code: first?.code, message: first?.Message, detail: first?.Detail, element: first?.element, type: json.data.Fault.type });
  }
  const gateway = QboGatewayFaultEnvelope.safeParse(body);
  if (gateway.success) {
    const first = gateway.data.fault.error[0];
    return clean({ code: first?.code, message: first?.message, detail: first?.detail, element: first?.element, type: gateway.data.fault.type });
  }
  // Only a body that did not parse as JSON can be an XML fault (a JSON customer may quote "<Fault>" in its notes).
  return typeof body === 'object' && body !== null ? undefined : parseXmlFault(text);
}

function parseXmlFault(text: string): QboFault | undefined {
  if (!/<Fault[\s>]/i.test(text)) return undefined;
  const error = /<Error\b([^>]*)>([\s\S]*?)<\/Error>/i.exec(text);
  const attrs = error?.[1] ?? '';
  const inner = error?.[2] ?? '';
  const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attrs)?.[1];
  const tag = (name: string) => {
    const found = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'i').exec(inner)?.[1];
    return found === undefined ? undefined : decodeXml(found.trim());
  };
  const type = /<Fault\b[^>]*\btype\s*=\s*"([^"]*)"/i.exec(text)?.[1];
  return clean({ code: attr('code'), element: attr('element'), message: tag('Message'), detail: tag('Detail'), type });
}

export interface ErrorContext {
  readonly kind?: ContactKind;
  /** The body that was sent, so a fault without an element can still name the field whose value it quotes. */
  readonly sent?: object;
}

/** Maps a non-2xx (or Fault-carrying) QBO answer to a ConnectorError. */
export function errorFromResponse(response: HttpResponse, context: ErrorContext = {}): ConnectorError {
  const fault = parseFault(response.body, response.text);
  const code = fault?.code !== undefined ? normaliseCode(fault.code) : undefined;
  const what = describe(response.status, fault);
  const extra = code !== undefined ? { providerCode: code } : {};

  if (response.status === 429 || code === '3001' || /ThrottleExceeded/i.test(fault?.message ?? '')) {
    return ConnectorErrors.rateLimited(`QuickBooks rate limit reached: ${what}`, retryAfterSeconds(response.headers['retry-after']), extra);
  }
  if (response.status === 401 || code === '100' || code === '3200') {
    return ConnectorErrors.authExpired(`QuickBooks did not accept the access token: ${what}`, extra);
  }
  if (code === '120' || code === '3100' || response.status === 403) {
    return ConnectorErrors.authRevoked(`QuickBooks refused access to this company; reconnect it with a user who has access: ${what}`, extra);
  }
  if (code === '6190') {
    return ConnectorErrors.authRevoked(`The QuickBooks company cannot be used (subscription ended or cancelled): ${what}`, extra);
  }
  if (code === '6240') {
    return ConnectorErrors.duplicate(existingIdFromDetail(fault?.detail), `A QuickBooks customer, vendor or employee already uses this name: ${what}`, {
      ...extra,
      field: 'displayName',
    });
  }
  if (code === '5010') {
    return ConnectorErrors.stale(`The QuickBooks record changed since it was read: ${what}`, extra);
  }
  if (code === '610' || response.status === 404) {
    return ConnectorErrors.notFound(`QuickBooks has no such record (or it was made inactive): ${what}`, extra);
  }
  if (response.status >= 500 || (code !== undefined && Number(code) >= 10000)) {
    return ConnectorErrors.transient(`QuickBooks failed to answer (HTTP ${response.status}); try again: ${what}`, extra);
  }
  if (response.status >= 400) {
    return ConnectorErrors.validation(fieldOf(fault, context), `QuickBooks rejected the data: ${what}`, extra);
  }
  return ConnectorErrors.transient(`Unexpected QuickBooks answer (HTTP ${response.status}): ${what}`, extra);
}

/** Parses "The name supplied already exists. : Id=58" (also "Ce nom existe déjà. : Id=425"). */
export function existingIdFromDetail(detail: string | undefined): string | undefined {
  return detail ? /\bId\s*=\s*(\d+)/i.exec(detail)?.[1] : undefined;
}

/** Retry-After as seconds: a number of seconds or an HTTP date; 60 s when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now: Date = new Date()): number {
  if (header === undefined || header.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.max(1, Math.ceil(Number(value)));
  const at = Date.parse(value);
  if (Number.isNaN(at)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.max(1, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * The canonical field at fault: from the Fault's `element`, else a QBO field name quoted in its
 * Detail or Message, else a sent value the Detail quotes; "contact" when nothing says.
 */
function fieldOf(fault: QboFault | undefined, context: ErrorContext): string {
  const kind = context.kind ?? 'customer';
  if (fault?.element) {
    const field = canonicalFieldOf(fault.element, kind);
    if (field) return field;
  }
  const words = `${fault?.detail ?? ''} ${fault?.message ?? ''}`;
  for (const match of words.matchAll(/\b([A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z0-9]+)*)\b/g)) {
    const field = canonicalFieldOf(match[1] ?? '', kind);
    if (field) return field;
  }
  if (context.sent && fault?.detail) {
    for (const [path, value] of leaves(context.sent)) {
      if (value.length >= 2 && fault.detail.includes(value)) {
        const field = canonicalFieldOf(path, kind);
        if (field) return field;
      }
    }
  }
  return 'contact';
}

function leaves(value: object, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'string') out.push([path, child]);
    else if (child !== null && typeof child === 'object') out.push(...leaves(child as object, path));
  }
  return out;
}

function describe(status: number, fault: QboFault | undefined): string {
  if (!fault) return `HTTP ${status}`;
  const parts = [fault.code ? `[${fault.code}]` : undefined, fault.message, fault.detail && fault.detail !== fault.message ? fault.detail : undefined];
  return parts.filter(Boolean).join(' ') || `HTTP ${status}`;
}

/** "003001" (gateway form) → "3001". */
function normaliseCode(code: string): string {
  const trimmed = code.trim();
  return /^\d+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
}

function decodeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function clean(fault: { [K in keyof QboFault]: string | null | undefined }): QboFault {
  const out: { -readonly [K in keyof QboFault]?: string } = {};
  for (const [key, value] of Object.entries(fault) as [keyof QboFault, string | null | undefined][]) {
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** Wraps an unexpected failure (a bug, a malformed answer) without losing a ConnectorError's kind. */
export function asConnectorError(error: unknown, fallback: (message: string) => ConnectorError): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ConnectorError' && typeof (error as { kind?: unknown }).kind === 'string') {
    return error as ConnectorError;
  }
  return fallback(error instanceof Error ? error.message : String(error));
}
