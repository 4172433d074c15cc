/** One bad input, named by its path (`email`, `contactIds.0`) with what to do about it. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Every failure of the client, with the API's own `{error:{code,message,fields}}` when it sent one.
 *
 * `status` is the HTTP status, or 0 when the request never got an answer: the input was refused
 * before sending (`code: 'invalid_request'`) or the network failed (`code: 'network_error'`).
 * A response that does not match the contract has `code: 'invalid_response'`.
 */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  readonly status: number;
  readonly code: string;
  readonly fields: readonly FieldError[];

  constructor(init: { status: number; code: string; message: string; fields?: readonly FieldError[] | undefined; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
  }

  /** The message for one field, if the API named it. */
  fieldMessage(path: string): string | undefined {
    return this.fields.find((field) => field.path === path)?.message;
  }
}

export function isApiClientError(error: unknown): error is ApiClientError {
  return error instanceof ApiClientError;
}
