import { HttpException } from '@nestjs/common';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A refusal the API answers with `{error:{code,message,fields?}}` (contract `ApiError`).
 * Services throw these; the exception filter turns them into responses.
 */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly fields?: readonly FieldProblem[],
    /** Response headers to send with the refusal (e.g. Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message, status);
  }
}

export const ApiErrors = {
  invalid: (message: string, fields?: readonly FieldProblem[]) => new ApiException(400, 'invalid_request', message, fields),
  unauthorized: (message = 'Sign in first: this needs a console session.') => new ApiException(401, 'unauthorized', message),
  forbidden: (message: string) => new ApiException(403, 'forbidden', message),
  notFound: (what: string) => new ApiException(404, 'not_found', `${what} was not found in this workspace.`),
  conflict: (message: string) => new ApiException(409, 'conflict', message),
  csrf: (message: string) => new ApiException(403, 'csrf_failed', message),
  tooManyRequests: (message: string, retryAfterSeconds: number) =>
    new ApiException(429, 'rate_limited', message, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  unavailable: (message: string) => new ApiException(503, 'unavailable', message),
};
