// The walking skeleton in a real browser: sign in, connect the sandbox QuickBooks Online company
// through OAuth, upload two local customers, see them linked, and confirm with the sandbox itself
// that each was created exactly once.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Stack, startStack } from './stack.js';

const screenshots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const UI_TIMEOUT = 30_000;
const UPLOAD_TIMEOUT = 90_000;
/** Two of the API's demo customers with no namesake in the sandbox company. */
const CUSTOMERS = ['Bluegum Bakery', 'Harbourview Dental'] as const;

interface QboCompanySummary {
  realmId: string;
  name: string;
}
interface QboCustomer {
  Id: string;
  DisplayName: string;
}

let stack: Stack | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

function row(page: Page, name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('rowheader', { name, exact: true }) });
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  stack = await startStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1200, height: 860 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(UI_TIMEOUT);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('console in Chromium against the whole stack', () => {
  it('connects QuickBooks Online, uploads two customers, and links each to exactly one QuickBooks customer', async () => {
    if (!stack || !context) throw new Error('the stack did not start');
    const { apiUrl, sandboxUrl } = stack;
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    onTestFailed(async () => {
      const path = join(tmpdir(), `ledgerlink-e2e-failure-${Date.now()}.png`);
      await page.screenshot({ path }).catch(() => undefined);
      console.error(`Failure screenshot: ${path}\nPage: ${page.url()}\nPage errors: ${consoleErrors.join('\n') || 'none'}\nAPI output (last 8000 chars):\n${stack?.apiOutput().slice(-8000) ?? ''}`);
    });

    // Sign in: the console is served by the API; an unknown visitor lands on the sign-in page.
    await page.goto(`${apiUrl}/customers`);
    await page.getByRole('heading', { name: 'Sign in to Ledgerlink' }).waitFor();
    await page.getByLabel('Email').fill(stack.adminEmail);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).not.toBe('');
    await shot(page, '01-sign-in-error');
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${apiUrl}/customers`);

    // Integrations → Connect QuickBooks Online → the sandbox's consent page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).waitFor();
    await shot(page, '02-integrations');
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).click();
    await page.waitForURL((url) => url.href.startsWith(sandboxUrl));
    await page.getByLabel('Sandbox Company US').check();
    await shot(page, '03-sandbox-consent');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    // Back on Integrations, connected to the chosen company.
    await page.waitForURL((url) => url.href.startsWith(`${apiUrl}/integrations`));
    const notice = page.getByRole('status').filter({ hasText: 'is connected' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('QuickBooks Online is connected to Sandbox Company US.');
    const connection = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').filter({ hasText: 'Sandbox Company US' });
    await connection.waitFor();
    expect(await connection.textContent()).toContain('Connected to Sandbox Company US');
    await shot(page, '04-integrations-connected');

    // Customers: both demo customers are not linked yet; select them and upload.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    for (const name of CUSTOMERS) {
      await row(page, name).waitFor();
      expect((await row(page, name).locator('td.contacts__linked').textContent())?.trim()).toBe('No linked contact');
      await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    }
    const upload = page.getByRole('button', { name: 'Upload 2 selected' });
    await shot(page, '05-customers-selected');
    await upload.click();
    await shot(page, '06-customers-uploading');

    // Each row ends up showing its QuickBooks customer, as a link into QuickBooks.
    for (const name of CUSTOMERS) {
      const link = row(page, name).locator('td.contacts__linked').getByRole('link');
      await link.waitFor({ timeout: UPLOAD_TIMEOUT });
      expect(await link.textContent()).toContain(name);
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${sandboxUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
      expect(await link.getAttribute('target')).toBe('_blank');
    }
    expect(await page.getByRole('status').filter({ hasText: 'Uploaded 2 customers' }).count()).toBe(1);
    await shot(page, '07-customers-linked');

    // The links are the API's state, not the page's: they are still there after a reload.
    await page.reload();
    for (const name of CUSTOMERS) await row(page, name).locator('td.contacts__linked').getByRole('link', { name }).waitFor();

    // The deep link opens that customer in (sandbox) QuickBooks, in a new tab.
    const [qboTab] = await Promise.all([context.waitForEvent('page'), row(page, CUSTOMERS[0]).locator('td.contacts__linked').getByRole('link').click()]);
    await qboTab.getByRole('heading', { name: CUSTOMERS[0] }).waitFor();
    await shot(qboTab, '08-quickbooks-customer');
    await qboTab.close();

    // The sandbox's own books: each uploaded customer exists exactly once in the chosen company.
    const companies = await getJson<QboCompanySummary[]>(`${sandboxUrl}/_control/qbo/companies`);
    const company = companies.find((c) => c.name === 'Sandbox Company US');
    expect(company, 'the sandbox has the company that was chosen').toBeDefined();
    const customers = await getJson<QboCustomer[]>(`${sandboxUrl}/_control/qbo/companies/${company?.realmId ?? ''}/customers`);
    for (const name of CUSTOMERS) {
      expect(customers.filter((c) => c.DisplayName === name), `${name} in QuickBooks`).toHaveLength(1);
    }
    expect(consoleErrors).toEqual([]);
  });
});
