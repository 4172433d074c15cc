import type { HttpResponse } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { duplicateNameIn, errorFromResponse, fieldOfMessage, retryAfterSeconds } from './errors.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('Xero answers → ConnectorErrors', () => {
  it('429 is rate_limited with the Retry-After seconds and the limit Xero names', () => {
    const error = errorFromResponse(answer(429, { Title: 'Rate limit exceeded', Detail: 'minute' }, { 'retry-after': '17', 'x-rate-limit-problem': 'minute' }), 'read');
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(17);
    expect(error.message).toContain('minute');
  });

  it('a daily-limit Retry-After is capped at a day; a missing one waits a minute', () => {
    expect(retryAfterSeconds('200000')).toBe(86_400);
    expect(retryAfterSeconds(undefined)).toBe(60);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30);
  });

  it('401 TokenExpired is auth_expired; other 401s and 403 are auth_revoked', () => {
    expect(errorFromResponse(answer(401, { Title: 'Unauthorized', Detail: 'TokenExpired: token expired at 01/01/2026 10:00:00' }), 'read').kind).toBe('auth_expired');
    expect(errorFromResponse(answer(401, { Title: 'Unauthorized', Detail: 'AuthenticationUnsuccessful' }), 'read').kind).toBe('auth_revoked');
    expect(errorFromResponse(answer(403, { Title: 'Forbidden', Detail: 'AuthenticationUnsuccessful' }), 'read').kind).toBe('auth_revoked');
  });

  it("404's plain text is not_found", () => {
    expect(errorFromResponse(answer(404, "The resource you're looking for cannot be found"), 'read').kind).toBe('not_found');
  });

  it('400 ValidationException is validation naming the field the message is about', () => {
    const error = errorFromResponse(
      answer(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'Email address must be valid.' }] }] }),
      'write',
    );
    expect(error).toMatchObject({ kind: 'validation', field: 'emails[primary]', providerCode: 'ValidationException' });
    expect(error.message).toContain('Email address must be valid.');
  });

  it('5xx is transient after a read and uncertain after a write', () => {
    expect(errorFromResponse(answer(503, 'Service Unavailable'), 'read').kind).toBe('transient');
    expect(errorFromResponse(answer(500, { ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in Xero.' }), 'write').kind).toBe('uncertain');
  });

  it("recognises Xero's duplicate-name message and reads the name out of it", () => {
    expect(duplicateNameIn('The contact name Buzz "B" Lightyear is already assigned to another contact. The contact name must be unique across all active contacts.')).toBe('Buzz "B" Lightyear');
    expect(duplicateNameIn('Email address must be valid.')).toBeUndefined();
  });

  it('maps messages to canonical fields', () => {
    expect(fieldOfMessage('Contact Name cannot be empty.')).toBe('displayName');
    expect(fieldOfMessage('PhoneNumber must not be more than 50 characters long.')).toBe('phones');
    expect(fieldOfMessage('Something else')).toBe('contact');
  });
});
