import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../json.js';

/** The id Xero echoes on a failed element that never got one (xero-api.md §2.3, §4). */
export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * A whole-request failure in Xero's shape: a status and a body that is JSON (an object) or plain
 * text (404). Thrown by operations, turned into a response by the API routes.
 */
export class XeroError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject | string,
  ) {
    super(typeof body === 'string' ? body : typeof body.Message === 'string' ? body.Message : typeof body.Detail === 'string' ? body.Detail : `Xero error ${status}`);
    this.name = 'XeroError';
  }
}

/** One element of a batch failed validation; `messages` become its `ValidationErrors`. */
export class ElementError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(messages.join(' '));
    this.name = 'ElementError';
  }
}

export function validationErrors(messages: readonly string[]): Json[] {
  return messages.map((Message) => ({ Message }));
}

function problemDetails(status: number, title: string, detail: string): JsonObject {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

export const XeroErrors = {
  /** 400 `ValidationException` listing the failed elements (each echoed with its ValidationErrors). */
  validation(elements: readonly JsonObject[]): XeroError {
    return new XeroError(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [...elements] });
  },
  /** 400 `ValidationException` about the request as a whole (no element to blame). */
  requestValidation(message: string): XeroError {
    return new XeroError(400, {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [{ ValidationErrors: validationErrors([message]) }],
    });
  },
  /** 400 `NoDataProcessedException` (the "specifed" typo is Xero's). */
  noData(entity: string): XeroError {
    return new XeroError(400, {
      ErrorNumber: 17,
      Type: 'NoDataProcessedException',
      Message: `No data has been processed for this endpoint. This endpoint is expecting ${entity} data to be specifed in the request body.`,
    });
  },
  /** 400 for a `where`/`order` Xero cannot parse or apply. */
  queryParse(message: string): XeroError {
    return new XeroError(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
  },
  /** 404: a plain-text body, not JSON. */
  notFound(): XeroError {
    return new XeroError(404, "The resource you're looking for cannot be found");
  },
  unauthorized(detail: string): XeroError {
    return new XeroError(401, problemDetails(401, 'Unauthorized', detail));
  },
  forbidden(detail: string): XeroError {
    return new XeroError(403, problemDetails(403, 'Forbidden', detail));
  },
  rateLimited(detail: string): XeroError {
    return new XeroError(429, problemDetails(429, 'Rate limit exceeded', detail));
  },
  /** 405-like answer for operations the sandbox does not implement. */
  notImplemented(detail: string): XeroError {
    return new XeroError(501, { ErrorNumber: 20, Type: 'ApiMethodNotImplementedException', Message: detail });
  },
};
