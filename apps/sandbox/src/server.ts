import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { SandboxClock } from './clock.js';
import { type SandboxResponse, json } from './http.js';
import { type RequestLog, redactPath } from './request-log.js';
import type { Router } from './router.js';

/** Largest request body the sandbox reads (QBO's own limit for batch payloads is far lower). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

const dropped = new WeakSet<SandboxResponse>();

/**
 * Marks a response so the server destroys the connection instead of sending it: the handler has
 * committed its write, the client sees a dropped connection (fault `timeoutAfterCommitRate`).
 * The response is still what the request log records and what `requestid` replay remembers.
 */
export function dropConnection(response: SandboxResponse): SandboxResponse {
  const marked: SandboxResponse = { ...response };
  dropped.add(marked);
  return marked;
}

/** True for a response made by `dropConnection`. */
export function isDropped(response: SandboxResponse): boolean {
  return dropped.has(response);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(res: ServerResponse, response: SandboxResponse, head: boolean): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (typeof response.body === 'string') payload = response.body;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(head ? undefined : payload);
}

/** Requests not worth logging: reading the log itself. */
function unlogged(method: string, pathname: string): boolean {
  return method === 'GET' && pathname === '/_control/requests';
}

/**
 * The sandbox's HTTP server: reads the whole body, routes, answers JSON or HTML, and records
 * method, path (secrets redacted), status and duration of each request in the request log.
 */
export function createSandboxServer(router: Router, log: RequestLog, clock: SandboxClock): Server {
  return createServer((req, res) => {
    const started = performance.now();
    const arrived = new Date(clock.now()).toISOString();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    void (async () => {
      let response: SandboxResponse;
      try {
        const body = await readBody(req);
        const match = router.match(method, url.pathname);
        if (match === undefined) response = json(404, { error: `Nothing at ${method} ${url.pathname}. The sandbox serves /qbo/… (QuickBooks Online), /xero/… (Xero), /hubspot/… (HubSpot), /_control/… and the page at /.` });
        else if (match === 'method-not-allowed') response = json(405, { error: `${method} is not allowed on ${url.pathname}` });
        else response = await match.handler({ method, url, params: match.params, headers: req.headers, body });
      } catch (error) {
        response =
          error instanceof BodyTooLarge
            ? json(413, { error: `Request body larger than ${MAX_BODY_BYTES} bytes` })
            : json(500, { error: `Sandbox error: ${error instanceof Error ? error.message : String(error)}` });
      }
      if (dropped.has(response)) req.socket.destroy();
      else if (!res.headersSent && !res.destroyed) send(res, response, method === 'HEAD');
      if (!unlogged(method, url.pathname)) {
        log.add({ time: arrived, method, path: redactPath(url), status: response.status, durationMs: Math.round(performance.now() - started) });
      }
    })();
  });
}
