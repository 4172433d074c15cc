import { randomUUID } from 'node:crypto';
import { fromMinorUnits, toMinorUnits } from '@ledgerlink/connector-sdk';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small in-memory stand-in for __DISPLAY_NAME__'s API, on node:http, for the conformance kit:
 * OAuth (consent is automatic), contacts with idempotency keys, unique names, a change sequence
 * for incremental reads, inactive and merged contacts, and one-shot rate limiting. Replace it
 * with the provider's sandbox when there is one; keep it for fast tests when there is not.
 */
export interface FakeContact {
  id: string;
  kind: 'customer' | 'supplier';
  name: string;
  email?: string;
  phone?: string;
  status: 'active' | 'inactive' | 'merged';
  mergedInto?: string;
  version: number;
  seq: number;
  updatedAt: string;
}

export interface FakeInvoice {
  id: string;
  contactId: string;
  number: string;
  issueDate: string;
  dueDate?: string;
  currency: string;
  lines: { description?: string; quantity: number; unitPrice: string; amount: string }[];
  total: string;
  amountDue: string;
  status: 'open' | 'paid' | 'void';
  reference?: string;
  updatedAt: string;
}

export interface FakeServer {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenant: { readonly id: string; readonly name: string };
  readonly contacts: Map<string, FakeContact>;
  readonly invoices: Map<string, FakeInvoice>;
  /** An access token for the tenant, as if a person had consented. */
  issueAccessToken(): string;
  /** Plays the person on the consent page: returns where the provider redirects to. */
  consent(authorizeUrl: string): Promise<string>;
  makeInactive(id: string): void;
  merge(loserId: string, survivorId: string): void;
  /** The next API request answers 429 with Retry-After. */
  rateLimitNext(retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

const MAX_NAME = 100;

export async function startFakeServer(): Promise<FakeServer> {
  const clientId = 'fake-client';
  const clientSecret = 'fake-secret';
  const tenant = { id: 't-1', name: '__DISPLAY_NAME__ Test Company' };
  const contacts = new Map<string, FakeContact>();
  const invoices = new Map<string, FakeInvoice>();
  const replies = new Map<string, { status: number; body: unknown }>();
  const codes = new Set<string>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  let seq = 0;
  let nextId = 1;
  let rateLimited: number | undefined;

  const touch = (contact: FakeContact) => {
    seq += 1;
    contact.seq = seq;
    contact.version += 1;
    contact.updatedAt = new Date().toISOString();
  };
  const sameName = (kind: string, name: string, except?: string) =>
    [...contacts.values()].find((c) => c.kind === kind && c.id !== except && c.status !== 'merged' && c.name.toLowerCase() === name.toLowerCase());
  const tokens = () => {
    const access = randomUUID();
    const refresh = randomUUID();
    accessTokens.add(access);
    refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: 3600, tenant_id: tenant.id };
  };

  const handle = (method: string, url: URL, headers: IncomingMessage['headers'], raw: string): { status: number; body: unknown; headers?: Record<string, string> } => {
    const fail = (status: number, code: string, message: string, more: Record<string, string> = {}) => ({ status, body: { error: { code, message, ...more } } });
    if (method === 'GET' && url.pathname === '/oauth/authorize') {
      const code = randomUUID();
      codes.add(code);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, body: '', headers: { location: back.toString() } };
    }
    if (method === 'POST' && url.pathname === '/oauth/token') {
      if (headers.authorization !== `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`) return fail(401, 'invalid_client', 'Unknown client');
      const form = new URLSearchParams(raw);
      const grant = form.get('grant_type') === 'authorization_code' ? codes : refreshTokens;
      const value = form.get('code') ?? form.get('refresh_token') ?? '';
      if (!grant.delete(value)) return fail(400, 'invalid_grant', 'The code or refresh token is not valid');
      return { status: 200, body: tokens() };
    }
    if (!url.pathname.startsWith('/api/')) return fail(404, 'not_found', `Nothing at ${url.pathname}`);
    if (rateLimited !== undefined) {
      const seconds = rateLimited;
      rateLimited = undefined;
      return { ...fail(429, 'rate_limited', 'Too many requests'), headers: { 'retry-after': String(seconds) } };
    }
    if (!accessTokens.has((headers.authorization ?? '').replace(/^Bearer /, ''))) return fail(401, 'unauthorized', 'The access token is not valid');

    if (method === 'GET' && url.pathname === '/api/tenants') return { status: 200, body: { tenants: [tenant] } };
    if (method === 'GET' && url.pathname === '/api/contacts') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const kind = url.searchParams.get('kind');
      const inactive = url.searchParams.get('includeInactive') === 'true';
      const after = Number(url.searchParams.get('changedAfter') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '100');
      const found = [...contacts.values()]
        .filter((c) => c.kind === kind && c.seq > after && c.name.toLowerCase().includes(q) && (inactive || c.status === 'active'))
        .sort((a, b) => a.seq - b.seq);
      return { status: 200, body: { contacts: found.slice(0, limit), hasMore: found.length > limit } };
    }
    if (method === 'GET' && url.pathname === '/api/invoices') {
      const contactId = url.searchParams.get('contactId');
      const since = url.searchParams.get('since') ?? '';
      const found = [...invoices.values()].filter((i) => i.contactId === contactId && i.updatedAt > since).reverse();
      return { status: 200, body: { invoices: found } };
    }
    if (method === 'POST' && url.pathname === '/api/invoices') {
      const key = headers['idempotency-key'];
      if (typeof key !== 'string' || key === '') return fail(400, 'idempotency_key_required', 'Send an Idempotency-Key header');
      const replay = replies.get(key);
      if (replay) return replay;
      const input = JSON.parse(raw) as Omit<FakeInvoice, 'id' | 'number' | 'total' | 'amountDue' | 'status' | 'updatedAt'>;
      if (!contacts.has(input.contactId)) return fail(422, 'invalid', `No contact ${input.contactId}`, { field: 'contactId' });
      // Sums in integer minor units, as a ledger would (never add decimal amounts as floats).
      const cents = input.lines.reduce((sum, line) => sum + toMinorUnits(line.amount, input.currency), 0);
      const total = fromMinorUnits(cents, input.currency);
      const invoice: FakeInvoice = { ...input, id: `inv-${invoices.size + 1}`, number: `INV-${1000 + invoices.size}`, total, amountDue: total, status: 'open', updatedAt: new Date().toISOString() };
      invoices.set(invoice.id, invoice);
      const reply = { status: 201, body: { invoice } };
      replies.set(key, { status: reply.status, body: structuredClone(reply.body) });
      return reply;
    }
    const one = /^\/api\/contacts\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && one) {
      const contact = contacts.get(decodeURIComponent(one[1] ?? ''));
      return contact ? { status: 200, body: { contact } } : fail(404, 'not_found', 'No such contact');
    }
    if ((method === 'POST' && url.pathname === '/api/contacts') || (method === 'PATCH' && one)) {
      const key = headers['idempotency-key'];
      if (typeof key !== 'string' || key === '') return fail(400, 'idempotency_key_required', 'Send an Idempotency-Key header');
      const replay = replies.get(key);
      if (replay) return replay;
      const input = JSON.parse(raw) as { kind: 'customer' | 'supplier'; name: string; email?: string; phone?: string };
      if (input.name.length > MAX_NAME) return fail(422, 'invalid', `name is longer than ${MAX_NAME}`, { field: 'displayName' });
      let reply: { status: number; body: unknown };
      if (one) {
        const contact = contacts.get(decodeURIComponent(one[1] ?? ''));
        if (!contact) return fail(404, 'not_found', 'No such contact');
        if (contact.status === 'merged') return fail(410, 'merged', `Merged into ${contact.mergedInto ?? ''}`, contact.mergedInto ? { survivorId: contact.mergedInto } : {});
        const taken = sameName(contact.kind, input.name, contact.id);
        if (taken) return fail(409, 'duplicate_name', 'The name is taken', { existingId: taken.id });
        Object.assign(contact, { name: input.name, email: input.email, phone: input.phone });
        touch(contact);
        reply = { status: 200, body: { contact } };
      } else {
        const taken = sameName(input.kind, input.name);
        if (taken) return fail(409, 'duplicate_name', 'The name is taken', { existingId: taken.id });
        const contact: FakeContact = { id: `c-${nextId++}`, kind: input.kind, name: input.name, status: 'active', version: 0, seq: 0, updatedAt: '' };
        if (input.email) contact.email = input.email;
        if (input.phone) contact.phone = input.phone;
        touch(contact);
        contacts.set(contact.id, contact);
        reply = { status: 201, body: { contact } };
      }
      replies.set(key, { status: reply.status, body: structuredClone(reply.body) });
      return reply;
    }
    return fail(404, 'not_found', `Nothing at ${method} ${url.pathname}`);
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      let result: { status: number; body: unknown; headers?: Record<string, string> };
      try {
        result = handle(request.method ?? 'GET', url, request.headers, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        result = { status: 500, body: { error: { code: 'internal', message: String(error) } } };
      }
      const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
      response.writeHead(result.status, { 'content-type': typeof result.body === 'string' ? 'text/plain' : 'application/json', ...result.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const contactOrThrow = (id: string) => {
    const contact = contacts.get(id);
    if (!contact) throw new Error(`The fake server has no contact ${id}`);
    return contact;
  };
  return {
    url,
    clientId,
    clientSecret,
    tenant,
    contacts,
    invoices,
    issueAccessToken: () => tokens().access_token,
    async consent(authorizeUrl) {
      const response = await fetch(authorizeUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) throw new Error(`The consent page answered ${response.status} without a redirect`);
      return location;
    },
    makeInactive(id) {
      const contact = contactOrThrow(id);
      contact.status = 'inactive';
      touch(contact);
    },
    merge(loserId, survivorId) {
      const loser = contactOrThrow(loserId);
      touch(contactOrThrow(survivorId));
      loser.status = 'merged';
      loser.mergedInto = survivorId;
      touch(loser);
    },
    rateLimitNext(retryAfterSeconds = 2) {
      rateLimited = retryAfterSeconds;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
