import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A free loopback port (so the OAuth redirect URI can name the real port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function uniquePrefix(name: string): string {
  return `ll-test-${name}-${randomBytes(4).toString('hex')}`;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A browser-like client: keeps the ll_session cookie, never follows redirects by itself. */
export class TestClient {
  private cookie: string | undefined;

  constructor(private readonly baseUrl: string) {}

  get sessionCookie(): string | undefined {
    return this.cookie;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(url, { method, headers, body: body === undefined ? null : JSON.stringify(body), redirect: 'manual' });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie?.startsWith('ll_session=')) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair === 'll_session=' ? undefined : pair;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseText(text) as T };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
}

function parseText(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Waits until `read` returns a value `done` accepts (fails after `timeoutMs`). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Plays the person at the sandbox's consent page: opens the authorize URL, submits the form with
 * the chosen company, and returns where the provider sends the browser back to.
 */
export async function consentInSandbox(authorizeUrl: string, realmId: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no consent form on the page');
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    form.set(unescapeHtml(match[1] ?? ''), unescapeHtml(match[2] ?? ''));
  }
  if (!html.includes(`value="${realmId}"`)) throw new Error(`the consent page offers no company ${realmId}`);
  form.set('realmId', realmId);
  form.set('decision', decision);
  const answer = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status} without a redirect`);
  return location;
}

/** Connects QuickBooks Online through the sandbox consent page as `client`; returns the connection id. */
export async function connectQuickBooks(client: TestClient, realmId: string): Promise<string> {
  const created = await client.post<{ connectionId: string; authorizeUrl: string }>('/api/v1/connections', { connectorId: 'quickbooks-online' });
  if (created.status !== 201) throw new Error(`connect answered ${created.status}: ${JSON.stringify(created.body)}`);
  const callback = await consentInSandbox(created.body.authorizeUrl, realmId);
  const back = await client.get(callback);
  const location = back.headers.get('location') ?? '';
  if (!location.includes(`connected=${created.body.connectionId}`)) throw new Error(`callback went to ${location}`);
  return created.body.connectionId;
}
