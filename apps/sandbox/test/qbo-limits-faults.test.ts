import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { DEMO_REALMS } from '../src/qbo/seed.js';
import { type Tokens, connect, control, faultOf, qbo } from './helpers.js';

let sandbox: RunningSandbox;
let tokens: Tokens;
const realmId = DEMO_REALMS.us;

const batchBody = { BatchItemRequest: [{ bId: '1', Query: 'select * from Customer maxresults 1' }] };

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
  tokens = await connect(sandbox.url, realmId);
});

beforeEach(async () => {
  await control(sandbox.url, '/reset', {});
});

afterAll(async () => {
  await sandbox.close();
});

describe('QBO limits', () => {
  it('allows 40 batch requests a minute per realm, answers the 41st 429/3001 with intuit_tid, and admits again a minute later', async () => {
    for (let i = 0; i < 40; i += 1) expect((await qbo(sandbox.url, tokens.access_token, realmId, 'batch', { body: batchBody })).status).toBe(200);
    const refused = await qbo(sandbox.url, tokens.access_token, realmId, 'batch', { body: batchBody });
    expect(refused.status).toBe(429);
    expect(faultOf(refused.body)).toMatchObject({ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' });
    expect(refused.headers.get('intuit_tid')).toMatch(/^1-/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Plain reads still pass: only the batch rule is exhausted.
    expect((await qbo(sandbox.url, tokens.access_token, realmId, 'customer/2')).status).toBe(200);
    await control(sandbox.url, '/clock', { advanceSeconds: 61 });
    expect((await qbo(sandbox.url, tokens.access_token, realmId, 'batch', { body: batchBody })).status).toBe(200);
  });

  it('turns limits off and on through the control API', async () => {
    expect((await control(sandbox.url, '/limits', { enabled: false, timeScale: 60 })).body).toEqual({ enabled: false, timeScale: 60 });
    for (let i = 0; i < 45; i += 1) expect((await qbo(sandbox.url, tokens.access_token, realmId, 'batch', { body: batchBody })).status).toBe(200);
    expect((await control(sandbox.url, '/limits', { timeScale: 0 })).status).toBe(400);
    expect((await control(sandbox.url, '/limits')).body).toEqual({ enabled: false, timeScale: 60 });
  });

  it('refuses more than 10 requests in flight for one realm at a time', async () => {
    await control(sandbox.url, '/faults/qbo', { latencyMs: 1500 });
    const statuses = await Promise.all(Array.from({ length: 12 }, () => qbo(sandbox.url, tokens.access_token, realmId, 'customer/2').then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
  });
});

describe('QBO fault injection', () => {
  it('answers 500/503 in Intuit\'s Fault shape at the error rate, the same sequence for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      await control(sandbox.url, '/faults/qbo', { errorRate: 0.5, seed: 99 });
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await qbo(sandbox.url, tokens.access_token, realmId, 'customer/2')).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.some((s) => s === 500 || s === 503)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
    await control(sandbox.url, '/faults/qbo', { errorRate: 1 });
    const failed = await qbo(sandbox.url, tokens.access_token, realmId, 'customer/2');
    expect(faultOf(failed.body).code).toMatch(/^(10000|503)$/);
  });

  it('commits a write, then drops the connection; a retry with the same requestid gets the committed customer once', async () => {
    await control(sandbox.url, '/faults/qbo', { timeoutAfterCommitRate: 1 });
    const url = `${sandbox.url}/qbo/v3/company/${realmId}/customer?requestid=drop-1`;
    const init = { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ DisplayName: 'Dropped Answer Co' }) };
    await expect(fetch(url, init)).rejects.toThrow();
    const listed = (await control(sandbox.url, `/qbo/companies/${realmId}/customers`)).body as { DisplayName: string; Id: string }[];
    const stored = listed.filter((c) => c.DisplayName === 'Dropped Answer Co');
    expect(stored).toHaveLength(1);
    const retry = await fetch(url, init);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { Customer: { Id: string } }).Customer.Id).toBe(stored[0]?.Id);
  });

  it('expires the token for exactly the next call; reset clears every fault setting', async () => {
    await control(sandbox.url, '/faults/qbo', { tokenExpired: true });
    const expired = await qbo(sandbox.url, tokens.access_token, realmId, 'customer/2');
    expect(expired.status).toBe(401);
    expect(faultOf(expired.body).code).toBe('3200');
    expect((await qbo(sandbox.url, tokens.access_token, realmId, 'customer/2')).status).toBe(200);

    await control(sandbox.url, '/faults/qbo', { errorRate: 1 });
    expect(((await control(sandbox.url, '/faults')).body as { qbo: { errorRate: number } }).qbo.errorRate).toBe(1);
    await control(sandbox.url, '/reset', {});
    expect(((await control(sandbox.url, '/faults')).body as { qbo: { errorRate: number } }).qbo.errorRate).toBe(0);
    expect((await control(sandbox.url, '/faults/nobody', { errorRate: 1 })).status).toBe(404);
    expect((await control(sandbox.url, '/faults/xero', { errorRate: 2 })).status).toBe(400);
  });
});
