import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Reads a request body as UTF-8 text, up to `maxBytes`: a larger body is answered 413 with
 * `tooLarge` (before it is buffered when Content-Length says so) and `onText` is not called.
 * Once read, the stream is finished, so the global body parsers leave the request alone.
 */
export function readBodyText(
  request: IncomingMessage,
  response: ServerResponse,
  options: { readonly maxBytes: number; readonly tooLarge: string },
  onText: (text: string) => void,
  onError: (error: unknown) => void,
): void {
  const refuse = (): void => {
    response.statusCode = 413;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ error: { code: 'payload_too_large', message: options.tooLarge } }));
  };
  if (Number(request.headers['content-length'] ?? 0) > options.maxBytes) {
    refuse();
    request.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > options.maxBytes) {
      refused = true;
      refuse();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (!refused) onText(Buffer.concat(chunks).toString('utf8'));
  });
  request.on('error', (error) => {
    if (!refused) onError(error);
  });
}
