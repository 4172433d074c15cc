import { createHash } from 'node:crypto';
import { ConnectorErrors, type ConnectorContext, type HttpResponse, type Tenant } from '@ledgerlink/connector-sdk';
import type { z } from 'zod';
import type { XeroConfig } from './config.js';
import { errorFromResponse } from './errors.js';
import { XeroConnections, XeroContactsEnvelope, type XeroContact, type XeroContactWrite } from './vendor/contact.schema.js';
import { XeroCreditNotesEnvelope, XeroInvoicesEnvelope, XeroPaymentsEnvelope, type XeroCollection, type XeroCreditNote, type XeroInvoice, type XeroPayment } from './vendor/transaction.schema.js';

/** What a document list answered: the documents of one page. */
export interface DocumentQuery {
  readonly where?: string;
  readonly ifModifiedSince?: string;
  readonly page?: number;
  readonly pageSize?: number;
  readonly order?: string;
  readonly searchTerm?: string;
  readonly invoiceNumbers?: readonly string[];
}

interface DocumentsOf {
  Invoices: XeroInvoice;
  CreditNotes: XeroCreditNote;
  Payments: XeroPayment;
}

const ENVELOPES = { Invoices: XeroInvoicesEnvelope, CreditNotes: XeroCreditNotesEnvelope, Payments: XeroPaymentsEnvelope } as const;

/** Xero's rate-limit headers (reference §5), as read from one answer. */
export interface XeroLimitReading {
  readonly minuteRemaining?: number;
  readonly dayRemaining?: number;
  readonly appMinuteRemaining?: number;
  readonly retryAfter?: string;
}

/** The limit headers of an answer (lower-case names); numbers that are not numbers are left out. */
export function limitReading(headers: Readonly<Record<string, string>>): XeroLimitReading {
  const count = (name: string): number | undefined => {
    const raw = headers[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  };
  const minuteRemaining = count('x-minlimit-remaining');
  const dayRemaining = count('x-daylimit-remaining');
  const appMinuteRemaining = count('x-appminlimit-remaining');
  const retryAfter = headers['retry-after'];
  return {
    ...(minuteRemaining !== undefined ? { minuteRemaining } : {}),
    ...(dayRemaining !== undefined ? { dayRemaining } : {}),
    ...(appMinuteRemaining !== undefined ? { appMinuteRemaining } : {}),
    ...(retryAfter !== undefined && retryAfter.trim() !== '' ? { retryAfter: retryAfter.trim() } : {}),
  };
}

/** Xero allows at most 128 characters in `Idempotency-Key` (reference §1.7). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

/**
 * One `Idempotency-Key` for a batch request: derived from the operation and the items' own keys,
 * so replaying the same items in the same request gives the same key (and Xero replays its answer).
 */
export function batchIdempotencyKey(operation: string, itemKeys: readonly string[]): string {
  if (itemKeys.length === 1) {
    const only = itemKeys[0] ?? '';
    const candidate = `${operation}:${only}`;
    if (candidate.length <= MAX_IDEMPOTENCY_KEY_LENGTH && /^[\x21-\x7e]+$/.test(candidate)) return candidate;
  }
  return `ll-${operation}-${createHash('sha256').update(itemKeys.join('\n'), 'utf8').digest('base64url')}`;
}

export interface ListContactsQuery {
  readonly ifModifiedSince?: string;
  readonly page?: number;
  readonly pageSize?: number;
  readonly includeArchived?: boolean;
  readonly searchTerm?: string;
  readonly ids?: readonly string[];
  readonly order?: string;
}

/** Thin Xero Accounting API client over the host's HTTP client (auth, rate budget and time-outs are the host's). */
export class XeroClient {
  constructor(private readonly ctx: ConnectorContext<XeroConfig>) {}

  private async send(method: 'GET' | 'PUT' | 'POST', path: string, options: { query?: Record<string, string | number | boolean | undefined>; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpResponse> {
    const mode = method === 'GET' ? 'read' : 'write';
    const response = await this.ctx.http.request({
      method,
      url: `${this.ctx.config.apiBaseUrl}${path}`,
      ...(options.query ? { query: options.query } : {}),
      headers: {
        // Without it Xero answers XML.
        Accept: 'application/json',
        'xero-tenant-id': this.ctx.tenantId,
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    this.noteLimits(response);
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, mode);
    return response;
  }

  /**
   * The SDK reads X-MinLimit-Remaining, X-DayLimit-Remaining and Retry-After itself (the
   * manifest's limits.limitHeaders); it has no field for X-AppMinLimit-Remaining, so the
   * connector logs all of them at debug level for whoever watches the app-wide budget.
   */
  private noteLimits(response: HttpResponse): void {
    const reading = limitReading(response.headers);
    if (Object.keys(reading).length > 0) this.ctx.logger.debug('xero rate-limit headers', { status: response.status, ...reading });
  }

  /** One page of invoices, credit notes or payments (`page` makes Xero include line items). */
  async listDocuments<C extends XeroCollection>(collection: C, query: DocumentQuery): Promise<DocumentsOf[C][]> {
    const response = await this.send('GET', `/${collection}`, {
      query: {
        where: query.where,
        page: query.page,
        pageSize: query.pageSize,
        order: query.order,
        searchTerm: query.searchTerm,
        InvoiceNumbers: query.invoiceNumbers?.join(','),
      },
      ...(query.ifModifiedSince ? { headers: { 'If-Modified-Since': query.ifModifiedSince } } : {}),
    });
    const envelope = parse(ENVELOPES[collection], response, `the ${collection} list`, 'read') as Record<C, DocumentsOf[C][]>;
    return envelope[collection];
  }

  /** PUT (create) or POST (update) an array of documents with `summarizeErrors=false`: one element back per element sent. */
  async writeDocuments<C extends XeroCollection>(collection: C, method: 'PUT' | 'POST', documents: readonly Record<string, unknown>[], idempotencyKey: string): Promise<DocumentsOf[C][]> {
    const response = await this.send(method, `/${collection}`, {
      query: { summarizeErrors: false },
      headers: { 'Idempotency-Key': idempotencyKey },
      body: { [collection]: documents },
    });
    const answer = (parse(ENVELOPES[collection], response, `the answer to a ${collection} write`, 'write') as Record<C, DocumentsOf[C][]>)[collection];
    if (answer.length !== documents.length) {
      throw ConnectorErrors.uncertain(`Xero answered a write of ${documents.length} ${collection} with ${answer.length}; look them up before retrying`);
    }
    return answer;
  }

  async listContacts(query: ListContactsQuery): Promise<{ contacts: XeroContact[]; pageCount?: number }> {
    const response = await this.send('GET', '/Contacts', {
      query: {
        page: query.page,
        pageSize: query.pageSize,
        includeArchived: query.includeArchived ? true : undefined,
        searchTerm: query.searchTerm,
        IDs: query.ids?.join(','),
        order: query.order,
      },
      ...(query.ifModifiedSince ? { headers: { 'If-Modified-Since': query.ifModifiedSince } } : {}),
    });
    const envelope = parse(XeroContactsEnvelope, response, 'the contact list', 'read');
    return { contacts: envelope.Contacts, ...(envelope.pagination ? { pageCount: envelope.pagination.pageCount } : {}) };
  }

  async getContact(id: string): Promise<XeroContact> {
    const response = await this.send('GET', `/Contacts/${encodeURIComponent(id)}`);
    const contact = parse(XeroContactsEnvelope, response, 'the contact', 'read').Contacts[0];
    if (!contact) throw ConnectorErrors.notFound(`Xero has no contact ${id}`);
    return contact;
  }

  /**
   * PUT (create) or POST (create or update by ContactID) an array of contacts with
   * `summarizeErrors=false`: one element back per element sent, each OK or ERROR.
   */
  async writeContacts(method: 'PUT' | 'POST', contacts: readonly XeroContactWrite[], idempotencyKey: string): Promise<XeroContact[]> {
    const response = await this.send(method, '/Contacts', {
      query: { summarizeErrors: false },
      headers: { 'Idempotency-Key': idempotencyKey },
      body: { Contacts: contacts },
    });
    const answer = parse(XeroContactsEnvelope, response, 'the answer to a contact write', 'write').Contacts;
    if (answer.length !== contacts.length) {
      throw ConnectorErrors.uncertain(`Xero answered a write of ${contacts.length} contacts with ${answer.length}; look the contacts up before retrying`);
    }
    return answer;
  }

  /** The organisations the connection's token may use (`GET /connections`, no tenant header). */
  async tenants(): Promise<Tenant[]> {
    const response = await this.ctx.http.request({ method: 'GET', url: this.ctx.config.connectionsUrl, headers: { Accept: 'application/json' } });
    this.noteLimits(response);
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, 'read');
    return tenantsFrom(parse(XeroConnections, response, 'the connections list', 'read'));
  }
}

export function tenantsFrom(connections: z.output<typeof XeroConnections>): Tenant[] {
  return connections
    .filter((c) => (c.tenantType ?? 'ORGANISATION') === 'ORGANISATION')
    .map((c) => ({ id: c.tenantId, name: c.tenantName?.trim() || `Xero organisation ${c.tenantId}` }));
}

function parse<S extends z.ZodType>(schema: S, response: HttpResponse, what: string, mode: 'read' | 'write'): z.output<S> {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const shape = typeof response.body === 'object' && response.body !== null ? `${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}` : `not JSON: ${response.text.slice(0, 60)}`;
  const message = `Xero sent ${what} in an unexpected shape (${shape})`;
  throw mode === 'write' ? ConnectorErrors.uncertain(message) : ConnectorErrors.transient(message);
}
