import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText } from '../common/read-body.js';

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
  readBodyText(
    request,
    response,
    { maxBytes: MAX_WEBHOOK_BODY_BYTES, tooLarge: `A webhook body may be at most ${MAX_WEBHOOK_BODY_BYTES} bytes.` },
    (text) => {
      request.rawBody = text;
      next();
    },
    next,
  );
}
