import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Credentials, isConnectorError } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonLogger } from '../common/json-logger.js';
import { createHostHttpClient, type CredentialSource } from './http-client.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** Tokens the fake provider accepts. */
const valid = new Set<string>(['fresh-token', 'token-2']);

function handle(request: IncomingMessage, response: ServerResponse): void {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
    if (request.url?.startsWith('/slow')) return; // never answers
    if (request.url?.startsWith('/public')) {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      return;
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!valid.has(token)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"fault":"AuthenticationFailed"}');
      return;
    }
    if (request.url?.startsWith('/bad')) {
      response.writeHead(400, { 'content-type': 'application/json', 'intuit_tid': 'tid-1' }).end('{"Fault":{"type":"ValidationFault"}}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: body ? (JSON.parse(body) as unknown) : null }));
  });
}

function source(initial: Credentials, next: Credentials[]): CredentialSource & { refreshed: Credentials[] } {
  let current = initial;
  const refreshed: Credentials[] = [];
  return {
    refreshed,
    current: () => current,
    refresh: (used) => {
      refreshed.push(used);
      current = next.shift() ?? current;
      return Promise.resolve(current);
    },
  };
}

const quiet = new JsonLogger('silent');
const clock = { now: () => new Date() };
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('host HttpClient', () => {
  it('adds the bearer token, query and JSON body, and resolves for error statuses', async () => {
    const http = createHostHttpClient({ credentials: source({ accessToken: 'fresh-token', expiresAt: inMinutes(60) }, []), logger: quiet, clock, providerName: 'Fake' });
    const ok = await http.request({ method: 'POST', url: `${base}/v3/customer`, query: { requestid: 'k-1', skip: undefined }, body: { DisplayName: 'A' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, echo: { DisplayName: 'A' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v3/customer?requestid=k-1', authorization: 'Bearer fresh-token' });
    const bad = await http.request({ method: 'GET', url: `${base}/bad` });
    expect(bad).toMatchObject({ status: 400, headers: { intuit_tid: 'tid-1' }, body: { Fault: { type: 'ValidationFault' } } });
  });

  it('refreshes before sending when the token expires within two minutes', async () => {
    const credentials = source({ accessToken: 'expiring-token', refreshToken: 'r1', expiresAt: inMinutes(1) }, [{ accessToken: 'token-2', refreshToken: 'r2', expiresAt: inMinutes(60) }]);
    const http = createHostHttpClient({ credentials, logger: quiet, clock, providerName: 'Fake' });
    expect((await http.request({ method: 'GET', url: `${base}/thing` })).status).toBe(200);
    expect(credentials.refreshed.map((c) => c.accessToken)).toEqual(['expiring-token']);
    expect(seen.at(-1)?.authorization).toBe('Bearer token-2');
  });

  it('refreshes once after a 401 and retries; a second 401 is returned, not looped', async () => {
    const credentials = source({ accessToken: 'revoked-token', expiresAt: inMinutes(60) }, [{ accessToken: 'fresh-token', expiresAt: inMinutes(60) }]);
    const http = createHostHttpClient({ credentials, logger: quiet, clock, providerName: 'Fake' });
    expect((await http.request({ method: 'GET', url: `${base}/thing` })).status).toBe(200);
    expect(credentials.refreshed).toHaveLength(1);

    const stuck = source({ accessToken: 'revoked-token' }, [{ accessToken: 'still-bad' }]);
    const again = createHostHttpClient({ credentials: stuck, logger: quiet, clock, providerName: 'Fake' });
    expect((await again.request({ method: 'GET', url: `${base}/thing` })).status).toBe(401);
    expect(stuck.refreshed).toHaveLength(1);
  });

  it('sends no token when the request is not authenticated', async () => {
    const http = createHostHttpClient({ credentials: source({ accessToken: 'fresh-token' }, []), logger: quiet, clock, providerName: 'Fake' });
    const response = await http.request({ method: 'GET', url: `${base}/public`, authenticated: false });
    expect(response).toMatchObject({ status: 200, body: 'hello', text: 'hello' });
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('rejects with transient when nothing reached the provider', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = createHostHttpClient({ credentials: source({ accessToken: 'fresh-token' }, []), logger: quiet, clock, providerName: 'Fake' });
    const error = await http.request({ method: 'POST', url: `http://127.0.0.1:${port}/v3/customer`, body: {} }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('transient');
    expect((error as Error).message).toContain('nothing was sent');
  });

  it('rejects a write without an answer as uncertain, and a read as transient', async () => {
    const http = createHostHttpClient({ credentials: source({ accessToken: 'fresh-token' }, []), logger: quiet, clock, providerName: 'Fake', defaultTimeoutMs: 200 });
    const write = await http.request({ method: 'POST', url: `${base}/slow`, body: { DisplayName: 'A' } }).catch((e: unknown) => e);
    expect(isConnectorError(write) && write.kind).toBe('uncertain');
    expect((write as Error).message).toMatch(/Fake did not answer .* the write may or may not have happened/);
    const read = await http.request({ method: 'GET', url: `${base}/slow` }).catch((e: unknown) => e);
    expect(isConnectorError(read) && read.kind).toBe('transient');
  });
});
