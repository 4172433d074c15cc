/**
 * Tiny Books' API as a `fetch` function, in memory: the environment the example connector's
 * conformance test runs against (the SDK may not open sockets, so no node:http here).
 */
interface Row {
  id: string;
  name: string;
  email: string | null;
  archived: boolean;
  rev: number;
  seq: number;
}

export interface TinyBooksProvider {
  readonly fetch: typeof fetch;
  archive(id: string): void;
  throttleNext(seconds: number): void;
}

export function tinyBooksProvider(apiKey: string): TinyBooksProvider {
  const rows = new Map<string, Row>();
  const replies = new Map<string, Response>();
  let seq = 0;
  let throttle: number | undefined;
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  const bump = (row: Row) => {
    row.rev += 1;
    row.seq = seq += 1;
  };

  const handle = (method: string, url: URL, headers: Headers, body: string): Response => {
    if (throttle !== undefined) {
      const seconds = throttle;
      throttle = undefined;
      return json(429, { error: 'Slow down' }, { 'retry-after': String(seconds) });
    }
    if (headers.get('authorization') !== `Bearer ${apiKey}`) return json(401, { error: 'Unknown API key' });
    if (method === 'GET' && url.pathname === '/contacts') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const after = Number(url.searchParams.get('after') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const archived = url.searchParams.get('includeArchived') === 'true';
      const found = [...rows.values()].filter((r) => r.seq > after && r.name.toLowerCase().includes(q) && (archived || !r.archived)).sort((a, b) => a.seq - b.seq);
      return json(200, { contacts: found.slice(0, limit), more: found.length > limit });
    }
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    const existing = id === undefined ? undefined : rows.get(decodeURIComponent(id));
    if (method === 'GET' && id !== undefined) return existing ? json(200, { contact: existing }) : json(404, { error: `No contact ${id}` });
    if ((method === 'POST' && url.pathname === '/contacts') || (method === 'PUT' && id !== undefined)) {
      const key = headers.get('idempotency-key') ?? '';
      const replay = replies.get(key);
      if (replay) return replay.clone();
      const input = JSON.parse(body) as { name: string; email: string | null };
      if (input.name.length > 80) return json(422, { error: 'name is too long', field: 'displayName' });
      const taken = [...rows.values()].find((r) => r.name.toLowerCase() === input.name.toLowerCase() && r.id !== id);
      if (taken) return json(409, { error: 'Name in use', existingId: taken.id });
      let row: Row;
      if (id !== undefined) {
        if (!existing) return json(404, { error: `No contact ${id}` });
        row = Object.assign(existing, input);
      } else {
        row = { id: `tb-${rows.size + 1}`, ...input, archived: false, rev: -1, seq: 0 };
        rows.set(row.id, row);
      }
      bump(row);
      const reply = json(id === undefined ? 201 : 200, { contact: row });
      replies.set(key, reply.clone());
      return reply;
    }
    return json(404, { error: `Nothing at ${method} ${url.pathname}` });
  };

  return {
    fetch: async (input, init) => handle(init?.method ?? 'GET', new URL(String(input)), new Headers(init?.headers), typeof init?.body === 'string' ? init.body : ''),
    archive(id) {
      const row = rows.get(id);
      if (!row) throw new Error(`No contact ${id}`);
      row.archived = true;
      bump(row);
    },
    throttleNext(seconds) {
      throttle = seconds;
    },
  };
}
