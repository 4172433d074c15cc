import { Client } from '@hubspot/api-client';
import { SANDBOX_HUBSPOT_CLIENT_ID } from '../src/index.js';

export const HUBSPOT_REDIRECT_URI = 'http://127.0.0.1:9/hubspot/callback';

/** The official client pointed at the sandbox's HubSpot (`basePath` replaces https://api.hubapi.com). */
export function hubspotClient(sandboxUrl: string, accessToken: string): Client {
  return new Client({ accessToken, basePath: `${sandboxUrl}/hubspot` });
}

/** What an ApiException of the official client carries. */
export interface ApiError {
  code: number;
  body: { message?: string; category?: string; context?: Record<string, unknown> };
  headers: Record<string, string>;
}

/** Runs a client call that must fail and returns its ApiException. */
export async function apiError(call: () => Promise<unknown>): Promise<ApiError> {
  try {
    await call();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && 'body' in error) return error as ApiError;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export async function control(sandboxUrl: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandboxUrl}/_control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Moves sandbox time forward (token expiry, rate-limit windows) without sleeping. */
export async function advance(sandboxUrl: string, seconds: number): Promise<void> {
  const res = await control(sandboxUrl, '/clock', { advanceSeconds: seconds });
  if (res.status !== 200) throw new Error(`clock answered ${res.status}`);
}

/** Installs the app on a portal like a browser would: GET the authorize page, POST its form; returns the code. */
export async function authorize(sandboxUrl: string, portalId: number, scope = 'oauth crm.objects.contacts.read crm.objects.contacts.write', state = 'st-1'): Promise<URL> {
  const url = new URL(`${sandboxUrl}/hubspot/oauth/authorize`);
  url.search = new URLSearchParams({ client_id: SANDBOX_HUBSPOT_CLIENT_ID, redirect_uri: HUBSPOT_REDIRECT_URI, scope, state }).toString();
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}`);
  const html = await page.text();
  if (!html.includes(`value="${portalId}"`)) throw new Error(`portal ${portalId} is not offered on the authorize page`);
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(match[1] ?? '', (match[2] ?? '').replace(/&amp;/g, '&'));
  form.set('portalId', String(portalId));
  form.set('decision', 'allow');
  const res = await fetch(`${sandboxUrl}/hubspot/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null) throw new Error(`authorize POST answered ${res.status}`);
  return new URL(location);
}
