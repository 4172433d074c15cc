// Everything the browser end-to-end tests share: the whole Ledgerlink stack (the sandbox in-process,
// a fresh PostgreSQL database, the API all-in-one process with worker and built console), Chromium,
// and the steps several tests take (sign in, connect the sandbox's QuickBooks Online company, wait
// for matching to settle, screenshots, failure reports). Each test file calls `useE2e()` once.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sandboxConnectorEnv, startSandbox, type RunningSandbox } from '@ledgerlink/sandbox';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';

const run = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const apiEntry = join(repoRoot, 'apps/api/dist/start.js');
const consoleDir = join(repoRoot, 'apps/console/dist');

/** The machine's PostgreSQL (trust auth); each run creates and drops its own database there. */
const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Stack {
  /** Where the API serves the console and /api, e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  sandboxUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** The seeded viewer (role viewer: may look, may not change anything). */
  viewerEmail: string;
  viewerPassword: string;
  /** Everything the API process printed so far (for failure reports). */
  apiOutput(): string;
  /** Stops the API, drops the database, closes the sandbox; safe to call twice and after a failed start. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function psql(sql: string): Promise<void> {
  await run('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  });
}

function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** The seed prints `Ledgerlink demo sign-in: <email> / <password> (...)` once, when it creates the user. */
export function parseSeedPassword(output: string, email: string): string | null {
  return new RegExp(`Ledgerlink demo sign-in: ${escapeRegExp(email)} / (\\S+)`).exec(output)?.[1] ?? null;
}

export async function startStack(options: { startTimeoutMs?: number } = {}): Promise<Stack> {
  const missing = [
    existsSync(apiEntry) ? null : `${apiEntry} (run: pnpm --filter @ledgerlink/api build)`,
    existsSync(join(consoleDir, 'index.html')) ? null : `${consoleDir}/index.html (run: pnpm --filter @ledgerlink/console build)`,
  ].filter((line): line is string => line !== null);
  if (missing.length > 0) throw new Error(`The end-to-end test needs built code; missing:\n  ${missing.join('\n  ')}`);

  const id = randomBytes(5).toString('hex');
  const database = `ll_e2e_${id}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'll-e2e-'));
  const cleanups: (() => Promise<void>)[] = [];
  let output = '';
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const problems: string[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (problems.length > 0) throw new Error(`Cleaning up the end-to-end stack failed:\n  ${problems.join('\n  ')}`);
  };

  try {
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

    const sandbox: RunningSandbox = await startSandbox({ port: 0, seedDemo: true });
    cleanups.push(() => sandbox.close());

    await psql(`CREATE DATABASE ${database}`);
    cleanups.push(() => psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

    const port = await freePort();
    const webhookToken = randomBytes(16).toString('hex');
    const apiUrl = `http://127.0.0.1:${port}`;
    const queuePrefix = `e2e-${id}`;
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('LEDGERLINK_') && key !== 'DATABASE_URL' && key !== 'PORT'),
    );
    const child = spawn(process.execPath, [apiEntry], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgresql://${PG.user}@${PG.host}:${PG.port}/${database}`,
        REDIS_URL,
        LEDGERLINK_QUEUE_PREFIX: queuePrefix,
        LEDGERLINK_SECRET_KEY: randomBytes(32).toString('hex'),
        LEDGERLINK_CONSOLE_DIR: consoleDir,
        LEDGERLINK_DATA_DIR: dataDir,
        LEDGERLINK_SEED: '1',
        LEDGERLINK_PUBLIC_URL: apiUrl,
        ...sandboxConnectorEnv(sandbox.url),
        // The sandbox's QuickBooks webhooks reach this API (see below), signed with this token.
        LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: webhookToken,
      },
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    cleanups.push(async () => {
      await stopProcess(child);
      // Bull's keys for this run only (best effort: a missing redis-cli leaves them to expire with Redis).
      await run('sh', ['-c', `redis-cli -u "$1" --scan --pattern "$2:*" | xargs -r redis-cli -u "$1" del >/dev/null`, 'sh', REDIS_URL, queuePrefix]).catch(() => undefined);
    });

    const adminEmail = 'admin@ledgerlink.local';
    const viewerEmail = 'viewer@ledgerlink.local';
    const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
    let adminPassword: string | null = null;
    let viewerPassword: string | null = null;
    let healthy = false;
    while (Date.now() < deadline && !(healthy && adminPassword && viewerPassword)) {
      if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} while starting:\n${output}`);
      adminPassword ??= parseSeedPassword(output, adminEmail);
      viewerPassword ??= parseSeedPassword(output, viewerEmail);
      if (!healthy) {
        healthy = await fetch(`${apiUrl}/api/v1/health`).then(
          (response) => response.status === 200,
          () => false,
        );
      }
      if (!(healthy && adminPassword && viewerPassword)) await new Promise((r) => setTimeout(r, 250));
    }
    if (!healthy) throw new Error(`GET ${apiUrl}/api/v1/health did not answer 200 in time. API output:\n${output}`);
    if (!adminPassword) throw new Error(`The API did not print the seeded admin's password ("Ledgerlink demo sign-in: ${adminEmail} / …"). API output:\n${output}`);

    if (!viewerPassword) throw new Error(`The API did not print the seeded viewer's password ("Ledgerlink demo sign-in: ${viewerEmail} / …"). API output:\n${output}`);

    // Changes made in the sandbox (its page or API) are pushed to the API as QuickBooks would.
    const subscribed = await fetch(`${sandbox.url}/_control/qbo/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${apiUrl}/api/v1/webhooks/quickbooks-online`, verifierToken: webhookToken }),
    });
    if (!subscribed.ok) throw new Error(`Subscribing the API to the sandbox's QuickBooks webhooks answered ${subscribed.status}: ${await subscribed.text()}`);

    return { apiUrl, sandboxUrl: sandbox.url, adminEmail, adminPassword, viewerEmail, viewerPassword, apiOutput: () => output, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The browser side, shared by every e2e file.

export const screenshotsDir = join(repoRoot, 'apps/console/e2e/screenshots');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const UI_TIMEOUT = 30_000;
/** Uploads, pulls and matching runs go through the worker. */
export const JOB_TIMEOUT = 90_000;
export const SANDBOX_COMPANY = 'Sandbox Company US';

export interface E2e {
  readonly stack: Stack;
  /** A fresh browser context (its own cookies: one per signed-in person). */
  newContext(): Promise<BrowserContext>;
  /** A page in `context` (a new context when left out) whose page errors are collected and reported if the test fails. */
  newPage(context?: BrowserContext): Promise<Page>;
  /** Page errors (uncaught exceptions) seen on every page opened with `newPage`. */
  readonly pageErrors: string[];
}

/**
 * Registers the file's beforeAll/afterAll: starts the stack and Chromium once for the file, and
 * always stops both (API, database, Bull keys, sandbox, browser).
 */
export function useE2e(options: { viewport?: { width: number; height: number } } = {}): E2e {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const viewport = options.viewport ?? { width: 1280, height: 860 };

  beforeAll(async () => {
    mkdirSync(screenshotsDir, { recursive: true });
    stack = await startStack();
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });

  async function newContext(): Promise<BrowserContext> {
    if (!browser) throw new Error('Chromium did not start');
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    context.setDefaultTimeout(UI_TIMEOUT);
    return context;
  }

  async function newPage(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await newContext())).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    onTestFailed(async () => {
      const path = join(tmpdir(), `ledgerlink-e2e-failure-${Date.now()}.png`);
      await page.screenshot({ path }).catch(() => undefined);
      console.error(
        `Failure screenshot: ${path}\nPage: ${page.url()}\nPage errors: ${pageErrors.join('\n') || 'none'}\nAPI output (last 8000 chars):\n${stack?.apiOutput().slice(-8000) ?? ''}`,
      );
    });
    return page;
  }

  return {
    get stack(): Stack {
      if (!stack) throw new Error('the stack did not start');
      return stack;
    },
    newContext,
    newPage,
    pageErrors,
  };
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage });
}

/** The contacts table's row whose row header is exactly `name`. */
export function row(page: Page, name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('rowheader', { name, exact: true }) });
}

export function mainNav(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/**
 * Opens Customers and waits until the row of `name` shows its links for the connection: the
 * Linked Contact column follows the chosen connection, known only once the connections load.
 */
export async function openCustomers(page: Page, name: string): Promise<void> {
  await mainNav(page, 'Customers').click();
  await row(page, name).waitFor();
  await page.getByText(`Upload customers to ${SANDBOX_COMPANY}`).waitFor();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Signs in on the page the console shows an unknown visitor (goes to `path` first). */
export async function signIn(page: Page, stack: Stack, as: 'admin' | 'viewer', path = '/integrations'): Promise<void> {
  await page.goto(`${stack.apiUrl}${path}`);
  await page.getByLabel('Email').fill(as === 'admin' ? stack.adminEmail : stack.viewerEmail);
  await page.getByLabel('Password').fill(as === 'admin' ? stack.adminPassword : stack.viewerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === path);
}

/**
 * Connects QuickBooks Online from the Integrations page through the sandbox's consent page (picking
 * Sandbox Company US) and returns the connection's id once it is connected.
 */
export async function connectQuickBooks(page: Page, stack: Stack): Promise<string> {
  const { apiUrl, sandboxUrl } = stack;
  if (!page.url().startsWith(`${apiUrl}/integrations`)) await page.goto(`${apiUrl}/integrations`);
  await page.getByRole('button', { name: 'Connect QuickBooks Online' }).click();
  await page.waitForURL((url) => url.href.startsWith(sandboxUrl));
  await page.getByLabel(SANDBOX_COMPANY).check();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.waitForURL((url) => url.href.startsWith(`${apiUrl}/integrations`));
  const connection = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').filter({ hasText: SANDBOX_COMPANY });
  await connection.getByRole('button', { name: 'Refresh from QuickBooks Online' }).waitFor();
  const id = (await connection.getAttribute('data-connection-id')) ?? '';
  if (!id) throw new Error('the connection has no data-connection-id');
  return id;
}

/**
 * Types into a link typeahead, moves down with the arrow keys until `name` is the active option, and
 * presses Enter to link it.
 */
export async function linkThroughTypeahead(page: Page, combobox: Locator, search: string, name: string, screenshot?: string): Promise<void> {
  await combobox.fill(search);
  await page.getByRole('option').filter({ hasText: name }).first().waitFor();
  if ((await combobox.getAttribute('aria-expanded')) !== 'true') throw new Error('the typeahead did not open its list');
  let active = '';
  for (let step = 0; step < 10 && !active.includes(name); step += 1) {
    await combobox.press('ArrowDown');
    const activeId = (await combobox.getAttribute('aria-activedescendant')) ?? '';
    active = activeId ? ((await page.locator(`[id="${activeId}"]`).textContent()) ?? '') : '';
  }
  if (!active.includes(name)) throw new Error(`the arrow keys never reached "${name}" (last active option: "${active}")`);
  if (screenshot) await shot(page, screenshot);
  await combobox.press('Enter');
}

/** Calls the API from the signed-in page (its session cookie and CSRF token), as the console would. */
export async function callApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = /(?:^|;\s*)ll_csrf=([^;]+)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = { ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const answer = await fetch(path, { method, headers, credentials: 'include', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as T;
    },
    { method, path, body },
  );
}

/** The sandbox company's customer that `addBaysideLookalikes` makes two local customers fit. */
export const BAYSIDE = 'Bayside Plumbing Co';

/**
 * Adds two local customers (external ids e2e-bayside-1 and -2) that both fit the sandbox's "Bayside
 * Plumbing Co" (same e-mail): matching can link neither by itself and suggests both ("contested").
 */
export async function addBaysideLookalikes(page: Page): Promise<void> {
  for (const [externalId, displayName] of [['e2e-bayside-1', BAYSIDE], ['e2e-bayside-2', 'Bayside Plumbing Company']] as const) {
    await callApi(page, 'PUT', `/api/v1/contacts/${externalId}`, { kind: 'customer', displayName, email: 'marcus@baysideplumbing.example.com' });
  }
}

/**
 * Connecting starts a pull of the remote contacts, and each pull is followed by a matching run that
 * may link contacts by itself. Runs one more matching run through the API (as the signed-in page)
 * and waits for it, so that nothing changes links behind the test's back afterwards.
 */
export async function settleMatching(page: Page, connectionId: string): Promise<void> {
  await page.evaluate(
    async ({ id, timeoutMs }) => {
      const csrf = /(?:^|;\s*)ll_csrf=([^;]+)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {};
      const started = await fetch(`/api/v1/connections/${id}/matching/run`, { method: 'POST', headers, credentials: 'include' });
      if (!started.ok) throw new Error(`starting a matching run answered ${started.status}: ${await started.text()}`);
      const run = (await started.json()) as { runId: string; state: string };
      const deadline = Date.now() + timeoutMs;
      let state = run.state;
      while (state !== 'completed' && state !== 'failed') {
        if (Date.now() > deadline) throw new Error(`matching run ${run.runId} did not finish (last state ${state})`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        const answer = await fetch(`/api/v1/connections/${id}/matching/runs/${run.runId}`, { credentials: 'include' });
        state = ((await answer.json()) as { state: string }).state;
      }
    },
    { id: connectionId, timeoutMs: JOB_TIMEOUT },
  );
}

interface QboCompanySummary {
  realmId: string;
  name: string;
}
export interface QboCustomer {
  Id: string;
  DisplayName: string;
}

/** The customers of a sandbox QuickBooks Online company, read through the sandbox's control API. */
export async function sandboxCustomers(stack: Stack, companyName = SANDBOX_COMPANY): Promise<QboCustomer[]> {
  const companies = await getJson<QboCompanySummary[]>(`${stack.sandboxUrl}/_control/qbo/companies`);
  const company = companies.find((c) => c.name === companyName);
  if (!company) throw new Error(`the sandbox has no company named ${companyName}`);
  return getJson<QboCustomer[]>(`${stack.sandboxUrl}/_control/qbo/companies/${company.realmId}/customers`);
}
