import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestClient, type TestHub } from './helpers.js';

const METRICS_TOKEN = 'metrics-token-for-the-ops-test';

let hub: TestHub;
let admin: TestClient;

beforeAll(async () => {
  hub = await startHub({ name: 'ops', providers: [], env: { LEDGERLINK_METRICS_TOKEN: METRICS_TOKEN } });
  admin = hub.admin;
}, 60_000);

afterAll(async () => {
  await hub?.close();
});

const scrape = async (token?: string) => {
  const response = await fetch(`${hub.baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

/** The value of one sample line, e.g. sample(text, 'ledgerlink_http_requests_total{method="PUT",...}'). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('GET /metrics', () => {
  it('refuses a scrape without the configured token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong-token-of-the-same-size!!')).status).toBe(401);
  });

  it('counts requests by route template (never by id), and reports queues and deliveries', async () => {
    const route = { method: 'PUT', route: '/api/v1/contacts/:externalId', status: '200' };
    const before = sample((await scrape(METRICS_TOKEN)).text, 'ledgerlink_http_requests_total', route);
    for (const id of ['m-1', 'm-2', 'm-3']) expect((await admin.put(`/api/v1/contacts/${id}`, { kind: 'customer', displayName: `Metric ${id}` })).status).toBe(200);
    const after = await scrape(METRICS_TOKEN);
    expect(after.status).toBe(200);
    expect(after.type).toContain('text/plain');
    expect(sample(after.text, 'ledgerlink_http_requests_total', route)).toBe(before + 3);
    expect(after.text).not.toContain('m-1');
    expect(after.text).toMatch(/ledgerlink_http_request_duration_seconds_bucket\{/);
    expect(after.text).toMatch(/ledgerlink_queue_jobs\{queue="contacts",state="waiting"\} \d+/);
    expect(after.text).toContain('ledgerlink_process_resident_memory_bytes');
  });
});

describe('the queue board', () => {
  it('is for owners and admins: anonymous 401, viewer 403, admin sees it', async () => {
    expect((await fetch(`${hub.baseUrl}/admin/queues`)).status).toBe(401);
    const viewer = await hub.signIn();
    expect((await viewer.get('/admin/queues')).status).toBe(403);
    const page = await admin.get<string>('/admin/queues');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    const api = await admin.get<{ queues: Array<{ name: string; readOnlyMode: boolean }> }>('/admin/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['contacts', 'transactions', 'inbound']));
    expect(api.body.queues.every((q) => q.readOnlyMode)).toBe(true);
  });
});
