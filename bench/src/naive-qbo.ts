import { createRequire } from 'node:module';
import type { QuickBooks as QuickBooksClass, QuickBooksCallback } from 'node-quickbooks';
import { approveConsent, SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET } from '@ledgerlink/sandbox';

// The job done the way a person would without Ledgerlink: the community client `node-quickbooks`
// creating one invoice per request, serially and with a naive parallel fan-out, retrying a 429 after
// the Retry-After it was given (the least a working script must do).

const QuickBooks = createRequire(import.meta.url)('node-quickbooks') as typeof QuickBooksClass;

export interface NaiveResult {
  readonly invoices: number;
  readonly elapsedMs: number;
  readonly throttled: number;
  readonly requests: number;
}

interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

const REDIRECT_URI = 'http://127.0.0.1/naive-script/callback';

/** Consent + code exchange for one company, as a script author would do once by hand. */
export async function scriptTokens(sandboxUrl: string, realmId: string): Promise<Tokens> {
  const authorize = new URL(`${sandboxUrl}/qbo/connect/oauth2`);
  authorize.search = new URLSearchParams({ client_id: SANDBOX_QBO_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 'bench' }).toString();
  const callback = await approveConsent(authorize.toString(), { choose: { realmId } });
  const response = await fetch(`${sandboxUrl}/qbo/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SANDBOX_QBO_CLIENT_ID}:${SANDBOX_QBO_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI }),
  });
  if (!response.ok) throw new Error(`token exchange answered ${response.status}`);
  return (await response.json()) as Tokens;
}

export function naiveClient(sandboxUrl: string, realmId: string, tokens: Tokens): QuickBooksClass {
  QuickBooks.V3_ENDPOINT_BASE_URL = `${sandboxUrl}/qbo/v3/company/`;
  return new QuickBooks(SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET, tokens.access_token, false, realmId, true, false, null, '2.0', tokens.refresh_token);
}

interface HttpError {
  readonly response?: { readonly status?: number; readonly headers?: Record<string, string> };
  readonly statusCode?: number;
}

function createInvoice(qbo: QuickBooksClass, invoice: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const callback: QuickBooksCallback<unknown> = (err) => (err ? reject(err as Error) : resolve());
    qbo.createInvoice(invoice, callback);
  });
}

/** Retry-After (provider seconds) of a throttled answer, or undefined when it was not a 429. */
function throttledFor(error: unknown): number | undefined {
  const e = error as HttpError;
  const status = e.response?.status ?? e.statusCode;
  if (status !== 429) return undefined;
  return Number(e.response?.headers?.['retry-after'] ?? '1');
}

/**
 * Creates the invoices with `concurrency` requests in flight; a 429 waits its Retry-After (scaled
 * to the sandbox's time scale) and tries again.
 */
export async function naiveInvoices(qbo: QuickBooksClass, invoices: readonly Record<string, unknown>[], concurrency: number, timeScale: number): Promise<NaiveResult> {
  let next = 0;
  let throttled = 0;
  let requests = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < invoices.length) {
      const invoice = invoices[next];
      next += 1;
      if (invoice === undefined) return;
      for (;;) {
        requests += 1;
        try {
          await createInvoice(qbo, invoice);
          break;
        } catch (error) {
          const wait = throttledFor(error);
          if (wait === undefined) throw error;
          throttled += 1;
          await new Promise((resolve) => setTimeout(resolve, (wait * 1000) / timeScale));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { invoices: invoices.length, elapsedMs: performance.now() - started, throttled, requests };
}
