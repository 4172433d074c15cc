import type { IncomingMessage, ServerResponse } from 'node:http';

/** The webhook route's mount path: only these requests keep their raw body. */
export const WEBHOOK_PATH_PREFIX = '/api/v1/webhooks';
/** Providers send small batches; anything larger is refused before it is buffered. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * Express middleware for the webhook route only: reads the body exactly as sent (signatures are
 * computed over these bytes) into `rawBody`, before any JSON parser could re-serialise it. The
 * request is then finished, so the global body parsers leave it alone.
 */
export function captureRawBody(request: IncomingMessage & { rawBody?: string }, response: ServerResponse, next: (error?: unknown) => void): void {
  // Mounted at WEBHOOK_PATH_PREFIX, so `url` is the rest: only POST /:connectorId is a delivery.
  if (request.method !== 'POST' || !/^\/[^/?]+\/?(\?.*)?$/.test(request.url ?? '')) {
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      refused = true;
      response.statusCode = 413;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ error: { code: 'payload_too_large', message: `A webhook body may be at most ${MAX_WEBHOOK_BODY_BYTES} bytes.` } }));
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (refused) return;
    request.rawBody = Buffer.concat(chunks).toString('utf8');
    next();
  });
  request.on('error', (error) => {
    if (!refused) next(error);
  });
}
