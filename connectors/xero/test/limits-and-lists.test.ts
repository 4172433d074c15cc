import { Contact, type RemoteContact } from '@ledgerlink/connector-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import connector from '../src/index.js';
import { connectToSandbox, type SandboxConnection } from './support/sandbox-connection.js';

let connection: SandboxConnection;
const run = Math.random().toString(36).slice(2, 8);
const unique = (name: string) => `${name} ${run}`;

beforeAll(async () => {
  connection = await connectToSandbox();
});
afterAll(async () => {
  await connection?.close();
});

async function create(name: string): Promise<RemoteContact> {
  const [result] = await connection.session.contacts.upsert([{ idempotencyKey: `c-${name}`, contact: Contact.parse({ kind: 'customer', displayName: name }) }]);
  if (!result?.ok) throw new Error(`create ${name} failed: ${JSON.stringify(result)}`);
  return result.value.remote;
}

describe('limit headers', () => {
  it("reports Xero's remaining minute, day and app-minute budget of every answer at debug level", async () => {
    await connection.control('limits', { enabled: true });
    const logged: Record<string, unknown>[] = [];
    try {
      const session = await connector.connect({
        ...connection.ctx,
        logger: { debug: (_message, fields) => logged.push(fields ?? {}), info() {}, warn() {}, error() {} },
      });
      await session.contacts.search({ kind: 'customer', text: 'anything' });
    } finally {
      await connection.control('limits', { enabled: false });
    }
    expect(logged).toContainEqual(expect.objectContaining({ minuteRemaining: expect.any(Number), dayRemaining: expect.any(Number), appMinuteRemaining: expect.any(Number) }));
    // The host reads the same headers through the manifest.
    expect(connector.limits.limitHeaders).toMatchObject({ remaining: 'x-minlimit-remaining', dailyRemaining: 'x-daylimit-remaining', retryAfter: 'retry-after' });
  });
});

describe('incremental contact lists', () => {
  it('If-Modified-Since with includeArchived delivers changes past a page boundary, archives included, each once', async () => {
    const readAll = async (checkpoint?: string) => {
      const items: RemoteContact[] = [];
      let next = checkpoint;
      let pages = 0;
      for (;;) {
        const page = await connection.session.contacts.list({ kind: 'customer', pageSize: 2, ...(next !== undefined ? { checkpoint: next } : {}) });
        items.push(...page.items);
        next = page.checkpoint;
        pages += 1;
        if (!page.hasMore) return { items, checkpoint: page.checkpoint, pages };
      }
    };
    const start = await readAll();
    const made = [await create(unique('Paged A')), await create(unique('Paged B')), await create(unique('Paged C')), await create(unique('Paged D')), await create(unique('Paged E'))];
    const archived = made[1];
    if (!archived) throw new Error('no contact');
    await connection.control(`xero/organisations/${encodeURIComponent(connection.tenant.id)}/contacts/${encodeURIComponent(archived.id)}/archive`);
    const before = connection.http.sent.length;
    const later = await readAll(start.checkpoint);
    expect(later.pages).toBeGreaterThan(2);
    expect(later.items.map((c) => c.id).sort()).toEqual(made.map((c) => c.id).sort());
    expect(later.items.find((c) => c.id === archived.id)?.status).toBe('archived');
    const gets = connection.http.sent.slice(before).filter((r) => r.method === 'GET');
    for (const get of gets) {
      expect(get.headers['if-modified-since']).toBeTruthy();
      expect(get.url).toContain('includeArchived=true');
    }
  });
});
