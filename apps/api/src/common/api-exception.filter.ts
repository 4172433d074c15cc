import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@ledgerlink/contract';
import { ApiException } from './api-error.js';
import type { JsonLogger } from './json-logger.js';

const CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Every refusal leaves the API as the contract's `ApiError` shape. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<{ method?: string; originalUrl?: string }>();
    const [status, body] = this.toBody(exception, request);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception : String(exception), { path: request.originalUrl, method: request.method });
    if (response.headersSent) return;
    if (exception instanceof ApiException) for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    response.status(status).json(body);
  }

  private toBody(exception: unknown, request: { method?: string; originalUrl?: string }): [number, ApiError] {
    if (exception instanceof ApiException) {
      const error: ApiError['error'] = { code: exception.code, message: exception.message };
      if (exception.fields) error.fields = [...exception.fields];
      return [exception.getStatus(), { error }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODES[status] ?? (status >= 500 ? 'internal_error' : 'error');
      let message = exception.message;
      if (status === 404) message = `No such endpoint: ${request.method ?? 'GET'} ${(request.originalUrl ?? '').split('?')[0]}. See /api/docs for the routes.`;
      else if (status === 400 && /JSON/i.test(message)) message = `The request body is not valid JSON: ${message}`;
      else message = clientErrorMessage(status, message, exception);
      return [status, { error: { code, message } }];
    }
    const status = typeof (exception as { status?: unknown })?.status === 'number' ? (exception as { status: number }).status : 500;
    if (status >= 400 && status < 500) {
      // body-parser errors (malformed JSON, payload too large) arrive as plain errors with a status.
      const message = exception instanceof Error ? exception.message : 'Bad request';
      const decoded = /Failed to decode param/.test(message);
      return [
        status,
        { error: { code: CODES[status] ?? 'invalid_request', message: status === 400 && !decoded ? `The request body is not valid JSON: ${message}` : clientErrorMessage(status, message, exception) } },
      ];
    }
    return [500, { error: { code: 'internal_error', message: 'Something went wrong on the server; the error was logged.' } }];
  }
}

/** Refusals raised before a route runs (path decoding, body size), said so a person can act. */
function clientErrorMessage(status: number, message: string, exception: unknown): string {
  const decode = /Failed to decode param '(.*)'/s.exec(message);
  if (status === 400 && decode) {
    return `The URL has a part that is not valid percent-encoding (${JSON.stringify(decode[1]?.slice(0, 80))}): encode each path part as UTF-8 with encodeURIComponent.`;
  }
  if (status === 413) {
    const limit = (exception as { limit?: unknown }).limit;
    // Nest's default JSON body parser (createApp sets no other) stops at 100 kB.
    const size = typeof limit === 'number' ? `${Math.round(limit / 1024)} kB` : '100 kB';
    return `The request body is too large: the limit is ${size}. Send fewer items per request.`;
  }
  return message;
}
