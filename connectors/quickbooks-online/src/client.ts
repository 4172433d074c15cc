import { createHash } from 'node:crypto';
import { ConnectorErrors, type ConnectorContext, type ContactKind, type HttpResponse } from '@ledgerlink/connector-sdk';
import type { z } from 'zod';
import type { QboConfig } from './config.js';
import { errorFromResponse, parseFault, type ErrorContext } from './errors.js';
import { QboCompanyInfo, QboCustomer, QboTerm, QboVendor, type QboNameListWrite } from './vendor/name-list.schema.js';
import { QboQueryEnvelope } from './vendor/responses.schema.js';
import { QboBatchResponse } from './vendor/transaction.schema.js';

/** QBO entity behind each canonical contact kind. */
export const ENTITY = { customer: 'Customer', supplier: 'Vendor' } as const satisfies Record<ContactKind, string>;
export type NameListEntity = (typeof ENTITY)[ContactKind];
export type QboNameList = QboCustomer | QboVendor;

const SCHEMA = { Customer: QboCustomer, Vendor: QboVendor } as const;

/** QBO allows at most 50 characters in `requestid` (reference §1.4). */
export const MAX_REQUEST_ID_LENGTH = 50;

/**
 * The `requestid` for an idempotency key: the key itself when it fits, else a stable hash of it
 * ("ll-" + 43 base64url characters), so the same key always yields the same requestid.
 */
export function requestIdFor(idempotencyKey: string): string {
  if (idempotencyKey.length > 0 && idempotencyKey.length <= MAX_REQUEST_ID_LENGTH && /^[\x21-\x7e]+$/.test(idempotencyKey)) return idempotencyKey;
  return `ll-${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url')}`;
}

/** A string literal of QBO's query language: backslash and single quote escaped with a backslash. */
export function qboString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The text of a `LIKE` pattern that matches `text` anywhere. QBO's LIKE knows only `%`; a `%`
 * typed by a person cannot be escaped and is kept as a wildcard.
 */
export function likeContains(text: string): string {
  return qboString(`%${text.normalize('NFC')}%`);
}

/** Thin QBO v3 API client over the host's HTTP client (auth, rate budget and time-outs are the host's). */
export class QboClient {
  constructor(private readonly ctx: ConnectorContext<QboConfig>) {}

  private url(path: string): string {
    return `${this.ctx.config.apiBaseUrl}/v3/company/${encodeURIComponent(this.ctx.tenantId)}/${path}`;
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    options: { query?: Record<string, string>; body?: unknown; errorContext?: ErrorContext } = {},
  ): Promise<HttpResponse> {
    const response = await this.ctx.http.request({
      method,
      url: this.url(path),
      query: { minorversion: this.ctx.config.minorVersion, ...options.query },
      headers: { Accept: 'application/json', ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    if (response.status < 200 || response.status >= 300 || parseFault(response.body, response.text) !== undefined) {
      throw errorFromResponse(response, options.errorContext);
    }
    return response;
  }

  /** Runs a `SELECT` and returns the rows of `entity` (none when QBO answers `{}`), plus the server time. */
  async query<S extends z.ZodType>(entity: string, statement: string, schema: S): Promise<{ rows: z.output<S>[]; time?: string }> {
    this.ctx.logger.debug('qbo query', { statement });
    const response = await this.send('GET', 'query', { query: { query: statement } });
    const envelope = parseOrThrow(QboQueryEnvelope, response, `the answer to "${statement}"`, 'read');
    const raw = envelope.QueryResponse[entity];
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const rows = list.map((row, i) => parseValueOrThrow(schema, row, `${entity} #${i + 1} of the answer to "${statement}"`, 'read'));
    return { rows, ...(envelope.time ? { time: envelope.time } : {}) };
  }

  async readNameList(entity: NameListEntity, id: string): Promise<QboNameList> {
    const response = await this.send('GET', `${entity.toLowerCase()}/${encodeURIComponent(id)}`);
    return this.entityOf(entity, response, 'read');
  }

  async createNameList(entity: NameListEntity, body: QboNameListWrite, requestId: string, kind: ContactKind): Promise<QboNameList> {
    const response = await this.send('POST', entity.toLowerCase(), { query: { requestid: requestId }, body, errorContext: { kind, sent: body } });
    return this.entityOf(entity, response, 'write');
  }

  /** Sparse update: only the fields in `body` change; needs the record's current SyncToken. */
  async sparseUpdateNameList(entity: NameListEntity, id: string, syncToken: string, body: QboNameListWrite, requestId: string, kind: ContactKind): Promise<QboNameList> {
    const payload: QboNameListWrite = { ...body, Id: id, SyncToken: syncToken, sparse: true };
    const response = await this.send('POST', entity.toLowerCase(), {
      query: { operation: 'update', requestid: requestId },
      body: payload,
      errorContext: { kind, sent: body },
    });
    return this.entityOf(entity, response, 'write');
  }

  /**
   * `GET /cdc?entities=<entity>&changedSince=…`: the raw changed objects of one entity (full
   * payloads, or `{"status":"Deleted","Id",…}` for deleted ones).
   */
  async changes(entity: string, changedSince: string): Promise<unknown[]> {
    this.ctx.logger.debug('qbo cdc', { entity, changedSince });
    const response = await this.send('GET', 'cdc', { query: { entities: entity, changedSince } });
    const body = response.body as { CDCResponse?: { QueryResponse?: Record<string, unknown>[] }[] } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.CDCResponse)) {
      throw ConnectorErrors.transient('QuickBooks sent a change data capture answer in an unexpected shape; try again');
    }
    const out: unknown[] = [];
    for (const cdc of body.CDCResponse) {
      for (const part of cdc.QueryResponse ?? []) {
        const rows = part[entity];
        if (Array.isArray(rows)) out.push(...(rows as unknown[]));
      }
    }
    return out;
  }

  /** GET of one entity by Id (`invoice/12`), parsed with `schema`. */
  async readEntity<S extends z.ZodType>(entity: string, id: string, schema: S): Promise<z.output<S>> {
    const response = await this.send('GET', `${entity.toLowerCase()}/${encodeURIComponent(id)}`);
    const body = response.body as Record<string, unknown> | null;
    return parseValueOrThrow(schema, body && typeof body === 'object' ? body[entity] : undefined, `the ${entity} answer`, 'read');
  }

  /**
   * `POST /batch` with up to 30 items. HTTP-level failures throw; per-item Faults come back in
   * BatchItemResponse (QBO answers 200 when items fail). An answer that is not a batch answer
   * leaves every item's outcome uncertain.
   */
  async batch(items: readonly Record<string, unknown>[], requestId: string): Promise<z.output<typeof QboBatchResponse>> {
    const response = await this.send('POST', 'batch', { query: { requestid: requestId }, body: { BatchItemRequest: items } });
    return parseOrThrow(QboBatchResponse, response, 'the batch answer', 'write');
  }

  async companyInfo(): Promise<z.output<typeof QboCompanyInfo>> {
    const response = await this.send('GET', `companyinfo/${encodeURIComponent(this.ctx.tenantId)}`);
    const body = response.body as { CompanyInfo?: unknown } | null;
    return parseValueOrThrow(QboCompanyInfo, body?.CompanyInfo, 'the CompanyInfo answer', 'read');
  }

  async terms(): Promise<z.output<typeof QboTerm>[]> {
    const { rows } = await this.query('Term', 'SELECT * FROM Term WHERE Active IN (true, false) MAXRESULTS 1000', QboTerm);
    return rows;
  }

  private entityOf(entity: NameListEntity, response: HttpResponse, mode: 'read' | 'write'): QboNameList {
    const body = response.body as Record<string, unknown> | null;
    return parseValueOrThrow(SCHEMA[entity], body && typeof body === 'object' ? body[entity] : undefined, `the ${entity} answer`, mode);
  }
}

/**
 * A 2xx answer that is not what QBO documents. After a write the outcome is uncertain (the
 * record may exist); after a read, trying again may help.
 */
function parseOrThrow<S extends z.ZodType>(schema: S, response: HttpResponse, what: string, mode: 'read' | 'write'): z.output<S> {
  if (typeof response.body !== 'object' || response.body === null) {
    const message = `QuickBooks sent ${what} that is not JSON (HTTP ${response.status}, ${response.text.slice(0, 80).replace(/\s+/g, ' ')}…)`;
    throw mode === 'write' ? ConnectorErrors.uncertain(message) : ConnectorErrors.transient(message);
  }
  return parseValueOrThrow(schema, response.body, what, mode);
}

function parseValueOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, mode: 'read' | 'write'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const message = `QuickBooks sent ${what} in an unexpected shape (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`;
  throw mode === 'write' ? ConnectorErrors.uncertain(message) : ConnectorErrors.transient(message);
}
