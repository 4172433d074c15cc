import type { HttpResponse } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, existingIdFromDetail, retryAfterSeconds } from './errors.js';

/** An HttpResponse as the host hands it over: parsed JSON when the body is JSON, else text. */
function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    // not JSON: body stays the text
  }
  return { status, headers, body: parsed, text: body };
}

// Fault bodies below are copied from the QuickBooks Online reference (§2.4, §3, §6, §11).
const DUPLICATE_NAME = `{"Fault":{"Error":[{"Message":"Duplicate Name Exists Error","Detail":"The name supplied already exists. : Id=58","code":"6240","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const DUPLICATE_NAME_FR = `{"Fault":{"Error":[{"Message":"Nom en double","Detail":"Ce nom existe déjà. : Id=425","code":"6240"}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const DUPLICATE_NAME_NO_ID = `{"Fault":{"Error":[{"Message":"Duplicate Name Exists Error","Detail":"The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.","code":"6240","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const STALE = `{"Fault":{"Error":[{"Message":"Stale Object Error","Detail":"Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.","code":"5010","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const NOT_FOUND = `{"Fault":{"Error":[{"Message":"Object Not Found","Detail":"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.","code":"610","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const INVALID_CHARS = `{"Fault":{"Error":[{"Message":"Invalid String. The String may contain unsupported or illegal chars","Detail":"Element contains invalid characters. Rob:Barnett:Company","code":"2040","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const REQUEST_ID_TOO_LONG = `{"Fault":{"Error":[{"Message":"A business validation error has occurred while processing your request","Detail":"Business Validation Error: You cannot enter more than 50 characters in the request_id field. You tried entering 8182e07bba..., which is 68 characters.","code":"6000","element":""}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const QUERY_EMPTY = `{"Fault":{"Error":[{"Message":"Error parsing query","Detail":"QueryParserError: The query provided was empty","code":"4000"}],"type":"ValidationFault"},"time":"2017-09-29T09:17:31.892-07:00"}`;
const THROTTLED_XML = `<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  Try again later</Detail></Error></Fault>`;
const AUTH_XML = `<Fault type="AuthenticationFault"><Error code="100"><Message>General Authentication Error</Message><Detail>AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401</Detail></Error></Fault>`;
const AUTH_GATEWAY = `{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Malformed bearer token: too short or too long","code":"3200","element":null}],"type":"AUTHENTICATION"},"report":null,"queryResponse":null,"batchItemResponse":[],"attachableResponse":[],"syncErrorResponse":null,"requestId":null,"time":1633520295688,"status":null,"cdcresponse":[]}`;
const AUTHZ_GATEWAY = `{"fault":{"error":[{"message":"message=AuthorizationFailed; errorCode=003100; statusCode=403","detail":null,"code":"3100"}],"type":"SERVICE"}}`;

describe('QBO Fault → ConnectorError', () => {
  it('6240 duplicate name → duplicate with the existing record id from the Detail', () => {
    const error = errorFromResponse(answer(400, DUPLICATE_NAME));
    expect(error.toJSON()).toMatchObject({ kind: 'duplicate', existingRemoteId: '58', providerCode: '6240', field: 'displayName' });
    expect(errorFromResponse(answer(400, DUPLICATE_NAME_FR)).existingRemoteId).toBe('425');
  });

  it('6240 without an Id in the Detail → duplicate without an existing id', () => {
    const error = errorFromResponse(answer(400, DUPLICATE_NAME_NO_ID));
    expect(error.kind).toBe('duplicate');
    expect(error.existingRemoteId).toBeUndefined();
  });

  it('5010 → stale, 610 → not_found', () => {
    expect(errorFromResponse(answer(400, STALE)).kind).toBe('stale');
    expect(errorFromResponse(answer(400, NOT_FOUND)).kind).toBe('not_found');
  });

  it('2040 with no element names the field whose sent value the Detail quotes', () => {
    const error = errorFromResponse(answer(400, INVALID_CHARS), { kind: 'customer', sent: { DisplayName: 'Rob:Barnett:Company', GivenName: 'Rob' } });
    expect(error.toJSON()).toMatchObject({ kind: 'validation', field: 'displayName', providerCode: '2040' });
  });

  it('a fault with an element maps it to the canonical field', () => {
    const body = `{"Fault":{"Error":[{"Message":"String length is either shorter or longer than supported by specification","Detail":"String length specified does not match the supported length. Min:0 Max:100 supplied length:101","code":"2050","element":"CompanyName"}],"type":"ValidationFault"}}`;
    expect(errorFromResponse(answer(400, body), { kind: 'customer' }).toJSON()).toMatchObject({ kind: 'validation', field: 'companyName' });
    const email = `{"Fault":{"Error":[{"Message":"Invalid Email","Detail":"Email Address does not conform to the syntax rules","code":"2090","element":"PrimaryEmailAddr.Address"}],"type":"ValidationFault"}}`;
    expect(errorFromResponse(answer(400, email)).field).toBe('emails[primary]');
    const address = `{"Fault":{"Error":[{"Message":"Invalid","Detail":"bad","code":"2050","element":"BillAddr"}],"type":"ValidationFault"}}`;
    expect(errorFromResponse(answer(400, address)).field).toBe('addresses[billing]');
  });

  it('6000 business validation and 4000 query errors → validation, never retried', () => {
    const business = errorFromResponse(answer(400, REQUEST_ID_TOO_LONG));
    expect(business.kind).toBe('validation');
    expect(business.retryable).toBe(false);
    expect(business.message).toContain('request_id');
    expect(errorFromResponse(answer(400, QUERY_EMPTY)).kind).toBe('validation');
  });

  it('429 with an XML ThrottleExceeded body → rate_limited, 60 s when there is no Retry-After', () => {
    const error = errorFromResponse(answer(429, THROTTLED_XML, { 'content-type': 'application/xml' }));
    expect(error.toJSON()).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 60, providerCode: '3001' });
    expect(errorFromResponse(answer(429, THROTTLED_XML, { 'retry-after': '17' })).retryAfterSeconds).toBe(17);
  });

  it('the old 403 form of ThrottleExceeded is still rate_limited', () => {
    const old = THROTTLED_XML.replace('statusCode=429', 'statusCode=403');
    expect(errorFromResponse(answer(403, old)).kind).toBe('rate_limited');
  });

  it('401 (XML or gateway JSON) → auth_expired, 403 AuthorizationFailed → auth_revoked', () => {
    expect(errorFromResponse(answer(401, AUTH_XML)).toJSON()).toMatchObject({ kind: 'auth_expired', providerCode: '100' });
    expect(errorFromResponse(answer(401, AUTH_GATEWAY)).toJSON()).toMatchObject({ kind: 'auth_expired', providerCode: '3200' });
    expect(errorFromResponse(answer(401, '')).kind).toBe('auth_expired');
    expect(errorFromResponse(answer(403, AUTHZ_GATEWAY)).toJSON()).toMatchObject({ kind: 'auth_revoked', providerCode: '3100' });
  });

  it('5xx answers that are HTML, XML or empty → transient, mapped by status', () => {
    expect(errorFromResponse(answer(503, '<html><body>Service Unavailable</body></html>')).kind).toBe('transient');
    expect(errorFromResponse(answer(500, '')).kind).toBe('transient');
    expect(errorFromResponse(answer(502, '<?xml version="1.0"?><IntuitResponse><Fault type="SystemFault"><Error code="10000"><Message>An application error has occurred</Message></Error></Fault></IntuitResponse>')).toJSON()).toMatchObject({
      kind: 'transient',
      providerCode: '10000',
    });
  });

  it('an unknown 4xx with a non-JSON body is a validation error on the contact, not a crash', () => {
    expect(errorFromResponse(answer(400, 'Bad Request')).toJSON()).toMatchObject({ kind: 'validation', field: 'contact' });
  });
});

describe('helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds(undefined, now)).toBe(60);
    expect(retryAfterSeconds('2.5', now)).toBe(3);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBe(60);
  });

  it('finds the existing id in both Detail forms', () => {
    expect(existingIdFromDetail('The name supplied already exists. : Id=1209')).toBe('1209');
    expect(existingIdFromDetail('The name supplied already exists.')).toBeUndefined();
  });
});
