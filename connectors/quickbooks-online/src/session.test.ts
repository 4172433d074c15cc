import { Contact, isConnectorError, type ConnectorContext, type HttpRequest, type HttpResponse } from '@ledgerlink/connector-sdk';
import { describe, expect, it } from 'vitest';
import { parseQboConfig, type QboConfig } from './config.js';
import { createSession } from './session.js';

/**
 * Answers QuickBooks could give that the sandbox does not produce on demand (XML throttling,
 * HTML gateway pages), replayed in order; every request is recorded.
 */
function scripted(answers: HttpResponse[]) {
  const requests: HttpRequest[] = [];
  const ctx: ConnectorContext<QboConfig> = {
    config: parseQboConfig({ clientId: 'cid', clientSecret: 'secret', apiBaseUrl: 'http://qbo.test' }),
    tenantId: '4620816365',
    credentials: () => ({ accessToken: 'token' }),
    http: {
      request: (request) => {
        requests.push(request);
        const answer = answers.shift();
        return answer ? Promise.resolve(answer) : Promise.reject(new Error('no more scripted answers'));
      },
    },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
  };
  return { session: createSession(ctx), requests };
}

const xml = (status: number, text: string, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: { 'content-type': 'application/xml', ...headers }, body: text, text });
const THROTTLED = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse time="2026-01-01T00:00:00.000-08:00"><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  Try again later</Detail></Error></Fault></IntuitResponse>`;
const item = (n: number) => ({ idempotencyKey: `key-${n}`, contact: Contact.parse({ kind: 'customer', displayName: `Customer ${n}` }) });

describe('session against answers QBO gives under stress', () => {
  it('sends creates to the realm path with minorversion and requestid', async () => {
    const created = { Customer: { Id: '58', SyncToken: '0', DisplayName: 'Customer 1', Active: true }, time: '2026-01-01T00:00:00.000-08:00' };
    const { session, requests } = scripted([{ status: 200, headers: { 'content-type': 'application/json' }, body: created, text: JSON.stringify(created) }]);
    const [result] = await session.contacts.upsert([item(1)]);
    expect(result?.ok && result.value.remote.id).toBe('58');
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'http://qbo.test/v3/company/4620816365/customer', query: { minorversion: 75, requestid: 'key-1' } });
  });

  it('a created customer whose notes quote an XML fault is still a success', async () => {
    const created = { Customer: { Id: '59', SyncToken: '0', DisplayName: 'Customer 1', Notes: '<Fault type="x"><Error code="6240">' }, time: '2026-01-01T00:00:00.000-08:00' };
    const { session } = scripted([{ status: 200, headers: { 'content-type': 'application/json' }, body: created, text: JSON.stringify(created) }]);
    const [result] = await session.contacts.upsert([item(1)]);
    expect(result?.ok && result.value.remote.contact.notes).toBe(created.Customer.Notes);
  });

  it('an XML 429 makes the item rate_limited for 60 s and the rest of the batch is not sent', async () => {
    const { session, requests } = scripted([xml(429, THROTTLED)]);
    const results = await session.contacts.upsert([item(1), item(2), item(3)]);
    expect(requests).toHaveLength(1);
    expect(results).toHaveLength(3);
    for (const result of results) expect(result.ok === false && result.error).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 60 });
    expect(results[1]?.ok === false && results[1].error.message).toMatch(/^Not attempted/);
  });

  it('honours Retry-After on a 429', async () => {
    const { session } = scripted([xml(429, THROTTLED, { 'retry-after': '12' })]);
    const [result] = await session.contacts.upsert([item(1)]);
    expect(result?.ok === false && result.error.retryAfterSeconds).toBe(12);
  });

  it('a 200 to a create whose body is not JSON is uncertain (the customer may exist), not a crash', async () => {
    const { session } = scripted([{ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>OK</html>', text: '<html>OK</html>' }]);
    const [result] = await session.contacts.upsert([item(1)]);
    expect(result?.ok === false && result.error.kind).toBe('uncertain');
  });

  it('a 502 HTML page on a search rejects with transient', async () => {
    const { session } = scripted([{ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>', text: '<html>Bad Gateway</html>' }]);
    const error = await session.contacts.search({ kind: 'customer', text: 'x' }).catch((e: unknown) => e);
    expect(isConnectorError(error) && error.kind).toBe('transient');
  });

  it('search escapes the text and asks for inactive rows only when told', async () => {
    const empty = { QueryResponse: {}, time: '2026-01-01T00:00:00.000-08:00' };
    const ok = { status: 200, headers: {}, body: empty, text: JSON.stringify(empty) };
    const { session, requests } = scripted([ok, ok]);
    await session.contacts.search({ kind: 'supplier', text: " O'Brien\\ ", limit: 5 });
    await session.contacts.search({ kind: 'customer', text: 'Zoë', includeInactive: true });
    expect(requests[0]?.query?.query).toBe("SELECT * FROM Vendor WHERE DisplayName LIKE '%O\\'Brien\\\\%' ORDERBY DisplayName MAXRESULTS 5");
    expect(requests[1]?.query?.query).toBe("SELECT * FROM Customer WHERE DisplayName LIKE '%Zoë%' AND Active IN (true, false) ORDERBY DisplayName MAXRESULTS 25");
  });
});
