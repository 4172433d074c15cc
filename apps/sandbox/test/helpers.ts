import { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET } from '../src/index.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  x_refresh_token_expires_in: number;
  id_token?: string;
}

/** The hidden and chosen fields of the consent page's form, as a browser would submit them. */
export function consentForm(pageHtml: string, realmId: string, decision: 'allow' | 'deny' = 'allow'): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of pageHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? '', decodeEntities(match[2] ?? ''));
  }
  form.set('realmId', realmId);
  form.set('decision', decision);
  return form;
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Walks the consent flow like a browser: GET the page, POST the form; returns the callback URL. */
export async function consent(sandboxUrl: string, realmId: string, scope = 'com.intuit.quickbooks.accounting', state = 'st-1'): Promise<string> {
  const authorize = new URL(`${sandboxUrl}/qbo/connect/oauth2`);
  authorize.search = new URLSearchParams({ client_id: SANDBOX_QBO_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope, state }).toString();
  const page = await fetch(authorize);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const res = await fetch(`${sandboxUrl}/qbo/connect/oauth2`, {
    method: 'POST',
    body: consentForm(await page.text(), realmId),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null) throw new Error(`consent POST answered ${res.status}`);
  return location;
}

export function basicAuth(id = SANDBOX_QBO_CLIENT_ID, secret = SANDBOX_QBO_CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function tokenRequest(sandboxUrl: string, form: Record<string, string>, authorization = basicAuth()): Promise<Response> {
  return fetch(`${sandboxUrl}/qbo/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form),
  });
}

/** Connects a company through consent + code exchange; returns its tokens. */
export async function connect(sandboxUrl: string, realmId: string, scope?: string): Promise<Tokens> {
  const callback = new URL(await consent(sandboxUrl, realmId, scope));
  const res = await tokenRequest(sandboxUrl, { grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI });
  if (res.status !== 200) throw new Error(`token exchange answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Tokens;
}

/** GET or POST on the QBO API of a company with a bearer token. */
export async function qbo(
  sandboxUrl: string,
  accessToken: string | undefined,
  realmId: string,
  path: string,
  init: { method?: string; body?: unknown; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = init.contentType ?? 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const res = await fetch(`${sandboxUrl}/qbo/v3/company/${realmId}/${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function control(sandboxUrl: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sandboxUrl}/_control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** First error of a QBO Fault body. */
export function faultOf(body: unknown): { Message: string; Detail: string; code: string; element?: string } {
  const fault = (body as { Fault?: { Error?: { Message: string; Detail: string; code: string; element?: string }[] } }).Fault;
  const first = fault?.Error?.[0];
  if (first === undefined) throw new Error(`Not a Fault: ${JSON.stringify(body)}`);
  return first;
}
