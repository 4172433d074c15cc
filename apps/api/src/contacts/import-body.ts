import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSV_IMPORT_MAX_BYTES } from '@ledgerlink/contract';
import { readBodyText } from '../common/read-body.js';

/** The CSV import route: its body may be far larger than the JSON limit of other routes. */
export const CONTACTS_IMPORT_PATH = '/api/v1/contacts/import';
/** The CSV limit plus room for JSON quoting of it. */
const MAX_IMPORT_BODY_BYTES = CSV_IMPORT_MAX_BYTES * 2;

const TOO_LARGE = `The request body is too large: the limit is ${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MB for an import (at most ${CSV_IMPORT_MAX_BYTES / 1024 / 1024} MB of CSV): split the file.`;

type BodyRequest = IncomingMessage & { body?: unknown };

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ error: { code, message } }));
}

/**
 * Express middleware mounted at CONTACTS_IMPORT_PATH: reads the body (a CSV file sent as
 * `text/csv`, or JSON `{csv, dryRun}`) with the import's own size limit and hands the route
 * `{csv}` either way. `?dryRun=true` works with text/csv. The stream is then finished, so the
 * global body parsers leave it alone.
 */
export function readImportBody(request: BodyRequest, response: ServerResponse, next: (error?: unknown) => void): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const csv = type === 'text/csv' || type === 'text/plain' || type === 'application/csv';
  if (request.method !== 'POST' || !(csv || type === 'application/json')) {
    next();
    return;
  }
  readBodyText(
    request,
    response,
    { maxBytes: MAX_IMPORT_BODY_BYTES, tooLarge: TOO_LARGE },
    (text) => {
      if (csv) {
        const url = new URL(request.url ?? '/', 'http://local');
        request.body = { csv: text, ...(url.searchParams.get('dryRun') === 'true' ? { dryRun: true } : {}) };
        next();
        return;
      }
      // Like body-parser's strict mode: the body must be a JSON object or array.
      if (text.length > 0 && !/^\s*[{[]/.test(text)) {
        refuse(response, 400, 'invalid_request', 'The request body is not valid JSON: send an object such as {"csv": "externalId,kind,displayName\\n…"}, or the file itself as text/csv.');
        return;
      }
      try {
        request.body = text.length === 0 ? {} : (JSON.parse(text) as unknown);
      } catch (error) {
        refuse(response, 400, 'invalid_request', `The request body is not valid JSON: ${(error as Error).message}`);
        return;
      }
      next();
    },
    next,
  );
}
