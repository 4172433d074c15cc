import { ConnectorErrors, type ConnectorContext, type HttpResponse } from '@ledgerlink/connector-sdk';
import { z } from 'zod';
import type { HubspotConfig } from './config.js';
import { errorFromResponse } from './errors.js';

/** HubSpot's batch endpoints take at most 100 inputs (the manifest's limits.batchSize). */
export const BATCH_SIZE = 100;

/** A CRM record as HubSpot's SimplePublicObject. */
export const CrmObject = z.looseObject({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()).default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
});
export type CrmObject = z.infer<typeof CrmObject>;

const Page = z.looseObject({ results: z.array(CrmObject), total: z.number().optional(), paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional() });
const BatchAnswer = z.looseObject({
  results: z.array(CrmObject),
  errors: z.array(z.looseObject({ category: z.string().optional(), message: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() })).optional(),
});
const AssociationPage = z.looseObject({
  results: z.array(z.looseObject({ toObjectId: z.union([z.number(), z.string()]) })),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

export type ObjectType = 'contacts' | 'companies' | 'notes';
type Query = Record<string, string | number | boolean | undefined>;

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'IN' | 'CONTAINS_TOKEN' | 'HAS_PROPERTY';
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface SearchRequest {
  readonly filterGroups?: readonly { readonly filters: readonly SearchFilter[] }[];
  readonly query?: string;
  readonly sorts?: readonly { readonly propertyName: string; readonly direction: 'ASCENDING' | 'DESCENDING' }[];
  readonly properties: readonly string[];
  readonly limit: number;
  readonly after?: string;
}

/**
 * A thin client of HubSpot's CRM v3/v4 API over the host's HTTP client, which adds the bearer
 * token (refreshing it), the shared per-portal rate budget and time-outs. Every non-2xx answer
 * becomes a typed ConnectorError.
 */
export class HubspotClient {
  constructor(private readonly ctx: ConnectorContext<HubspotConfig>) {}

  async send(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: { query?: Query; body?: unknown; mode?: 'read' | 'write'; accept?: readonly number[] } = {}): Promise<HttpResponse> {
    const mode = options.mode ?? (method === 'GET' ? 'read' : 'write');
    const response = await this.ctx.http.request({
      method,
      url: `${this.ctx.config.apiBaseUrl}${path}`,
      ...(options.query ? { query: options.query } : {}),
      headers: { Accept: 'application/json', ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    if ((response.status < 200 || response.status >= 300) && !(options.accept ?? []).includes(response.status)) throw errorFromResponse(response, mode);
    return response;
  }

  async get(type: ObjectType, id: string, properties: readonly string[], options: { archived?: boolean } = {}): Promise<CrmObject> {
    const response = await this.send('GET', `/crm/v3/objects/${type}/${encodeURIComponent(id)}`, { query: { properties: properties.join(','), archived: options.archived ? true : undefined } });
    return parse(CrmObject, response, `the ${type} record`, 'read');
  }

  async search(type: ObjectType, request: SearchRequest): Promise<{ results: CrmObject[]; after?: string }> {
    const response = await this.send('POST', `/crm/v3/objects/${type}/search`, { body: request, mode: 'read' });
    const page = parse(Page, response, `the ${type} search answer`, 'read');
    return { results: page.results, ...(page.paging?.next ? { after: page.paging.next.after } : {}) };
  }

  /** Batch read by id (or by a unique property); ids HubSpot does not have are left out. */
  async batchRead(type: ObjectType, ids: readonly string[], properties: readonly string[], options: { idProperty?: string; archived?: boolean } = {}): Promise<CrmObject[]> {
    if (ids.length === 0) return [];
    const out: CrmObject[] = [];
    for (let start = 0; start < ids.length; start += BATCH_SIZE) {
      const response = await this.send('POST', `/crm/v3/objects/${type}/batch/read`, {
        query: { archived: options.archived ? true : undefined },
        body: { inputs: ids.slice(start, start + BATCH_SIZE).map((id) => ({ id })), properties, ...(options.idProperty ? { idProperty: options.idProperty } : {}) },
        mode: 'read',
        accept: [207],
      });
      out.push(...parse(BatchAnswer, response, `the ${type} batch read answer`, 'read').results);
    }
    return out;
  }

  /** Batch create or update (≤ 100 inputs; HubSpot writes all of them or none). */
  async batchWrite(type: ObjectType, verb: 'create' | 'update', inputs: readonly unknown[]): Promise<CrmObject[]> {
    const response = await this.send('POST', `/crm/v3/objects/${type}/batch/${verb}`, { body: { inputs }, accept: [207] });
    const answer = parse(BatchAnswer, response, `the answer to a ${type} batch ${verb}`, 'write');
    if (answer.results.length !== inputs.length) {
      const missing = answer.errors?.flatMap((e) => e.context?.ids ?? []) ?? [];
      throw ConnectorErrors.notFound(`HubSpot did not ${verb} ${inputs.length - answer.results.length} of ${inputs.length} ${type}${missing.length > 0 ? ` (missing ids: ${missing.join(', ')})` : ''}`);
    }
    return answer.results;
  }

  async create(type: ObjectType, body: unknown): Promise<CrmObject> {
    return parse(CrmObject, await this.send('POST', `/crm/v3/objects/${type}`, { body }), `the answer to a ${type} create`, 'write');
  }

  async update(type: ObjectType, id: string, properties: Record<string, string>): Promise<CrmObject> {
    return parse(CrmObject, await this.send('PATCH', `/crm/v3/objects/${type}/${encodeURIComponent(id)}`, { body: { properties } }), `the answer to a ${type} update`, 'write');
  }

  /** Ids of the records of `toType` associated with one record (v4, every page). */
  async associatedIds(type: ObjectType, id: string, toType: ObjectType): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 1000; pages += 1) {
      const response = await this.send('GET', `/crm/v4/objects/${type}/${encodeURIComponent(id)}/associations/${toType}`, { query: { limit: 500, after } });
      const page = parse(AssociationPage, response, 'the associations list', 'read');
      ids.push(...page.results.map((r) => String(r.toObjectId)));
      after = page.paging?.next?.after;
      if (after === undefined) break;
    }
    return ids;
  }

  /** Associates two records with HubSpot's default (unlabelled) association type. */
  async associateDefault(type: ObjectType, id: string, toType: ObjectType, toId: string): Promise<void> {
    await this.send('PUT', `/crm/v4/objects/${type}/${encodeURIComponent(id)}/associations/default/${toType}/${encodeURIComponent(toId)}`);
  }

  /** Creates a custom property; one that already exists (409) is fine. */
  async ensureProperty(type: ObjectType, definition: { name: string; label: string; description: string; hasUniqueValue?: boolean }): Promise<void> {
    await this.send('POST', `/crm/v3/properties/${type}`, {
      body: { ...definition, type: 'string', fieldType: 'text', groupName: type === 'contacts' ? 'contactinformation' : type === 'companies' ? 'companyinformation' : 'note' },
      accept: [409],
    });
  }
}

export function parse<S extends z.ZodType>(schema: S, response: HttpResponse, what: string, mode: 'read' | 'write'): z.output<S> {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const shape = typeof response.body === 'object' && response.body !== null ? `${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}` : `not JSON: ${response.text.slice(0, 60)}`;
  const message = `HubSpot sent ${what} in an unexpected shape (${shape})`;
  throw mode === 'write' ? ConnectorErrors.uncertain(message) : ConnectorErrors.transient(message);
}
