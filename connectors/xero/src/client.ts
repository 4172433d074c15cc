import { createHash } from 'node:crypto';
import { ConnectorErrors, type ConnectorContext, type HttpResponse, type Tenant } from '@ledgerlink/connector-sdk';
import type { z } from 'zod';
import type { XeroConfig } from './config.js';
import { errorFromResponse } from './errors.js';
import { XeroConnections, XeroContactsEnvelope, type XeroContact, type XeroContactWrite } from './vendor/contact.schema.js';

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
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, mode);
    return response;
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
