import { createRequire } from 'node:module';

export const XERO_REDIRECT_URI = 'http://127.0.0.1:9/xero/callback';

/**
 * The axios instance xero-node itself uses (its own dependency; the sandbox does not depend on
 * axios). xero-node hard-codes https://identity.xero.com and https://api.xero.com for token,
 * connections and disconnect calls (xero-api.md §8.3), so tests rewrite those hosts here.
 */
interface RequestConfig {
  url?: string;
}
/** The part of axios this file uses (axios is xero-node's dependency, not the sandbox's). */
interface InterceptableAxios {
  interceptors: { request: { use(onFulfilled: (config: RequestConfig) => RequestConfig): number; eject(id: number): void } };
}

export function xeroNodeAxios(): InterceptableAxios {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('xero-node'))('axios') as InterceptableAxios;
}

/** Rewrites xero-node's hard-coded Xero hosts to the sandbox; returns a function that undoes it. */
export function pointXeroNodeAt(sandboxUrl: string): () => void {
  const axios = xeroNodeAxios();
  const id = axios.interceptors.request.use((config) => {
    const url = config.url ?? '';
    config.url = url
      .replace(/^https:\/\/identity\.xero\.com/i, `${sandboxUrl}/xero/identity`)
      .replace(/^https:\/\/api\.xero\.com\/connections/i, `${sandboxUrl}/xero/connections`)
      .replace(/^https:\/\/api\.xero\.com\/api\.xro\/2\.0/i, `${sandboxUrl}/xero/api.xro/2.0`);
    return config;
  });
  return () => axios.interceptors.request.eject(id);
}

/** Walks the consent page like a browser: GET it, choose the organisation, POST; returns the callback URL. */
export async function xeroConsent(consentUrl: string, tenantId: string): Promise<string> {
  const page = await fetch(consentUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? '', (match[2] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  form.set('tenantId', tenantId);
  form.set('decision', 'allow');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
  const res = await fetch(new URL(action, consentUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null) throw new Error(`consent POST answered ${res.status}`);
  return location;
}

/** xero-node rejects with a JSON string (ApiError.generateError()); this reads it back. */
export interface XeroNodeError {
  response: { statusCode: number; body: unknown; headers: Record<string, string> };
  body: unknown;
}

export async function xeroNodeError(promise: Promise<unknown>): Promise<XeroNodeError> {
  return promise.then(
    () => {
      throw new Error('expected xero-node to reject');
    },
    (error: unknown) => {
      if (typeof error !== 'string') throw error;
      return JSON.parse(error) as XeroNodeError;
    },
  );
}

export async function control(sandboxUrl: string, path: string, body?: unknown, method?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandboxUrl}/_control${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
