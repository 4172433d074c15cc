import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorInfo } from '@ledgerlink/contract';
import { ApiClientError, createApiClient, createHttpClient } from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

const session = {
  user: { id: 'u1', email: 'admin@ledgerlink.local', name: 'Admin', role: 'owner' },
  workspace: { id: 'w1', name: 'Demo' },
};
const upload = { uploadId: 'up1', connectionId: 'c 1', state: 'running', total: 2, results: [{ contactId: 'k1', ok: true, remoteId: '58', created: true }] };

let server: Server;
let baseUrl: string;
let handler: Handler;
const requests: Seen[] = [];

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  requests.length = 0;
});

describe('createApiClient over real HTTP', () => {
  it('logs in with a JSON body and returns the parsed session', async () => {
    handler = (_seen, res) => json(res, 200, session);
    const client = createApiClient({ baseUrl: `${baseUrl}/` });

    const result = await client.login({ email: 'admin@ledgerlink.local', password: 's3cret' });

    expect(result.user.email).toBe('admin@ledgerlink.local');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe('/api/v1/auth/login');
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ email: 'admin@ledgerlink.local', password: 's3cret' });
  });

  it('fills path parameters (encoded) and serialises the query, leaving out unset values', async () => {
    handler = (seen, res) =>
      seen.url.startsWith('/api/v1/contacts')
        ? json(res, 200, { items: [], total: 0, page: 2, pageSize: 25 })
        : json(res, 200, upload);
    const client = createApiClient({ baseUrl });

    const status = await client.getUpload('c 1', 'up/1');
    const list = await client.listContacts({ kind: 'customer', page: 2, pageSize: 25, q: undefined, linked: 'false' });

    expect(status.results[0]?.remoteId).toBe('58');
    expect(list.page).toBe(2);
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/connections/c%201/uploads/up%2F1',
      '/api/v1/contacts?kind=customer&page=2&pageSize=25&linked=false',
    ]);
  });

  it('turns the API error body into an ApiClientError with status, code, message and fields', async () => {
    handler = (_seen, res) =>
      json(res, 422, { error: { code: 'validation_failed', message: 'Some fields are invalid.', fields: [{ path: 'displayName', message: 'Give the contact a name.' }] } });
    const client = createApiClient({ baseUrl });

    const error = await client.upsertContact('ext-1', { kind: 'customer', displayName: 'Acme' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiClientError);
    const apiError = error as ApiClientError;
    expect(apiError.status).toBe(422);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.message).toBe('Some fields are invalid.');
    expect(apiError.fields).toEqual([{ path: 'displayName', message: 'Give the contact a name.' }]);
    expect(apiError.fieldMessage('displayName')).toBe('Give the contact a name.');
    expect(requests[0]?.method).toBe('PUT');
    expect(requests[0]?.url).toBe('/api/v1/contacts/ext-1');
  });

  it('reports a 401 from the API as status 401 so callers can send the person to sign in', async () => {
    handler = (_seen, res) => json(res, 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    const client = createApiClient({ baseUrl });

    await expect(client.me()).rejects.toMatchObject({ status: 401, code: 'unauthenticated', message: 'Sign in first.' });
  });

  it('explains an error without a JSON body (e.g. a proxy 502) instead of failing to parse it', async () => {
    handler = (_seen, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    const client = createApiClient({ baseUrl });

    await expect(client.health()).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('refuses a response that does not match the contract, naming the field', async () => {
    handler = (_seen, res) => json(res, 200, [{ id: 'c1', connectorId: 'quickbooks-online', status: 'sleeping' }]);
    const client = createApiClient({ baseUrl });

    const error = (await client.listConnections().catch((e: unknown) => e)) as ApiClientError;

    expect(error.code).toBe('invalid_response');
    expect(error.fields.map((f) => f.path)).toContain('0.status');
  });

  it('checks input against the contract before sending anything', async () => {
    handler = (_seen, res) => json(res, 202, upload);
    const client = createApiClient({ baseUrl });

    const error = (await client.createUpload('c1', { contactIds: [] }).catch((e: unknown) => e)) as ApiClientError;

    expect(error).toBeInstanceOf(ApiClientError);
    expect(error.status).toBe(0);
    expect(error.code).toBe('invalid_request');
    expect(error.fields).toEqual([{ path: 'contactIds', message: 'choose at least one contact to upload' }]);
    expect(requests).toHaveLength(0);
  });

  it('sends cookies and extra headers on every request', async () => {
    const seenInit: RequestInit[] = [];
    const spyingFetch: typeof fetch = (input, init) => {
      if (init) seenInit.push(init);
      return fetch(input, init);
    };
    handler = (_seen, res) => json(res, 200, { ok: true });
    const client = createApiClient({ baseUrl, fetch: spyingFetch, headers: () => ({ authorization: 'Bearer k1' }) });

    await expect(client.logout()).resolves.toEqual({ ok: true });

    expect(seenInit[0]?.credentials).toBe('include');
    expect(requests[0]?.headers.authorization).toBe('Bearer k1');
  });

  it('sends the CSRF token from the login answer on later changes, never on reads', async () => {
    handler = (seen, res) => json(res, 200, seen.url.endsWith('/login') ? { ...session, csrfToken: 'csrf-from-login' } : seen.method === 'GET' ? session : { ok: true });
    const client = createApiClient({ baseUrl });

    await client.login({ email: 'admin@ledgerlink.local', password: 'pw' });
    await client.me();
    await client.logout();

    expect(requests.map((r) => [r.method, r.headers['x-csrf-token']])).toEqual([
      ['POST', undefined],
      ['GET', undefined],
      ['POST', 'csrf-from-login'],
    ]);
  });

  it("reads the browser's ll_csrf cookie, and an explicit token wins", async () => {
    handler = (_seen, res) => json(res, 200, { ok: true });
    const global = globalThis as { document?: { cookie: string } };
    global.document = { cookie: 'theme=dark; ll_csrf=from%20cookie' };
    try {
      await createApiClient({ baseUrl }).logout();
      await createApiClient({ baseUrl, csrfToken: () => 'explicit' }).logout();
    } finally {
      delete global.document;
    }
    expect(requests.map((r) => r.headers['x-csrf-token'])).toEqual(['from cookie', 'explicit']);
  });

  it('reports an unreachable API as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createApiClient({ baseUrl: `http://127.0.0.1:${port}` });

    await expect(client.health()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('reports a cancelled request as aborted', async () => {
    handler = () => undefined; // never answers
    const client = createApiClient({ baseUrl });
    const controller = new AbortController();

    const pending = client.listConnectors({ signal: controller.signal });
    controller.abort();

    await expect(pending).rejects.toMatchObject({ status: 0, code: 'aborted' });
  });
});

describe('createHttpClient over any route table', () => {
  const table = {
    getConnector: {
      method: 'GET',
      path: '/api/v1/connectors/:connectorId',
      summary: 'One connector (a route the convenience methods do not know).',
      auth: 'session',
      response: ConnectorInfo,
    },
  } as const;

  it('calls a route it has no hand-written method for, typed from the table', async () => {
    handler = (seen, res) =>
      json(res, 200, {
        id: seen.url.split('/').pop(),
        displayName: 'QuickBooks Online',
        description: 'Accounting',
        category: 'accounting',
        authType: 'oauth2',
        configured: true,
        contactKinds: ['customer', 'supplier'],
      });
    const client = createHttpClient(table, { baseUrl });

    const connector = await client.call('getConnector', { params: { connectorId: 'quickbooks-online' } });

    expect(connector.id).toBe('quickbooks-online');
    expect(connector.contactKinds).toEqual(['customer', 'supplier']);
  });

  it('names a missing path parameter instead of requesting a broken URL', async () => {
    const client = createHttpClient(table, { baseUrl });

    await expect(client.call('getConnector', { params: { connectorId: '' } })).rejects.toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'connectorId', message: 'Path parameter "connectorId" is required.' }],
    });
    expect(requests).toHaveLength(0);
  });
});
