// Linking by hand in a real browser: connect the sandbox QuickBooks Online company, link the demo
// customer "Acme Pty Ltd" to the sandbox's existing "Acme Pty Ltd" through the row's typeahead,
// unlink it with the confirmation dialog, and read both changes in the contact's link history.
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
const JOB_TIMEOUT = 90_000;
const ACME = 'Acme Pty Ltd';
const REASON = 'Wrong customer: checking the console';

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

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });
}

function row(page: Page, name: string): Locator {
  return page.locator('tbody tr', { has: page.getByRole('rowheader', { name, exact: true }) });
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Connecting starts a pull of the remote contacts, and each pull is followed by a matching run that
 * may link Acme automatically. Runs one more matching run through the API (as the signed-in page)
 * and waits for it, so that nothing changes links behind the test's back afterwards.
 */
async function settleMatching(page: Page, connectionId: string): Promise<void> {
  await page.evaluate(
    async ({ id, timeoutMs }) => {
      const csrf = /(?:^|;\s*)ll_csrf=([^;]+)/.exec(document.cookie)?.[1];
      const headers: Record<string, string> = csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {};
      const started = await fetch(`/api/v1/connections/${id}/matching/run`, { method: 'POST', headers, credentials: 'include' });
      if (started.status === 404) return; // an API without matching links nothing by itself
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

async function unlinkWithDialog(page: Page, reason: string, screenshot?: string): Promise<void> {
  await page.getByRole('checkbox', { name: `Select ${ACME}` }).check();
  await page.getByRole('button', { name: 'Unlink 1 selected' }).click();
  const dialog = page.getByRole('dialog', { name: `Unlink 1 customer from Sandbox Company US (QuickBooks Online)?` });
  await dialog.waitFor();
  expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
  await dialog.getByLabel('Reason (optional)').fill(reason);
  if (screenshot) await shot(page, screenshot);
  await dialog.getByRole('button', { name: 'Unlink 1 customer' }).click();
  await page.getByRole('status').filter({ hasText: 'Unlinked 1 customer from Sandbox Company US.' }).waitFor({ timeout: JOB_TIMEOUT });
  expect((await row(page, ACME).locator('td.contacts__linked').textContent())?.trim()).toBe('No linked contact');
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  stack = await startStack();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(UI_TIMEOUT);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

describe('linking by hand in Chromium against the whole stack', () => {
  it('links Acme Pty Ltd to the existing QuickBooks customer through the typeahead, unlinks it, and shows both in its history', async () => {
    if (!stack || !context) throw new Error('the stack did not start');
    const { apiUrl, sandboxUrl } = stack;
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    onTestFailed(async () => {
      const path = join(tmpdir(), `ledgerlink-e2e-links-failure-${Date.now()}.png`);
      await page.screenshot({ path }).catch(() => undefined);
      console.error(`Failure screenshot: ${path}\nPage: ${page.url()}\nPage errors: ${consoleErrors.join('\n') || 'none'}\nAPI output (last 8000 chars):\n${stack?.apiOutput().slice(-8000) ?? ''}`);
    });

    // Sign in and connect QuickBooks Online (the sandbox's Sandbox Company US).
    await page.goto(`${apiUrl}/integrations`);
    await page.getByLabel('Email').fill(stack.adminEmail);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).click();
    await page.waitForURL((url) => url.href.startsWith(sandboxUrl));
    await page.getByLabel('Sandbox Company US').check();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(`${apiUrl}/integrations`));
    const connection = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').filter({ hasText: 'Sandbox Company US' });
    await connection.getByRole('button', { name: 'Refresh from QuickBooks Online' }).waitFor();
    const connectionId = (await connection.getAttribute('data-connection-id')) ?? '';
    expect(connectionId).not.toBe('');
    await settleMatching(page, connectionId);

    // Customers: if matching linked Acme on its own, unlink it first so the row offers the typeahead.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await row(page, ACME).waitFor();
    if (await row(page, ACME).locator('td.contacts__linked a').count()) await unlinkWithDialog(page, 'Undo the automatic match');

    // Link through the typeahead: type, move down to the sandbox's Acme Pty Ltd, Enter.
    const combobox = page.getByRole('combobox', { name: `Find a QuickBooks Online record to link ${ACME} to` });
    await combobox.fill('Acme');
    const option = page.getByRole('option').filter({ hasText: ACME }).first();
    await option.waitFor();
    expect(await combobox.getAttribute('aria-expanded')).toBe('true');
    let active = '';
    for (let step = 0; step < 10 && !active.includes(ACME); step += 1) {
      await combobox.press('ArrowDown');
      const activeId = (await combobox.getAttribute('aria-activedescendant')) ?? '';
      active = activeId ? ((await page.locator(`[id="${activeId}"]`).textContent()) ?? '') : '';
    }
    expect(active).toContain(ACME);
    await shot(page, '09-customers-link-typeahead');
    await combobox.press('Enter');
    const linked = row(page, ACME).locator('td.contacts__linked').getByRole('link');
    await linked.waitFor({ timeout: JOB_TIMEOUT });
    expect(await linked.textContent()).toContain(ACME);
    expect(await linked.getAttribute('href')).toMatch(new RegExp(`^${sandboxUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
    await shot(page, '10-customers-linked-existing');

    // Linking created nothing: the sandbox company still has exactly one Acme Pty Ltd.
    const companies = await getJson<QboCompanySummary[]>(`${sandboxUrl}/_control/qbo/companies`);
    const company = companies.find((c) => c.name === 'Sandbox Company US');
    const customers = await getJson<QboCustomer[]>(`${sandboxUrl}/_control/qbo/companies/${company?.realmId ?? ''}/customers`);
    expect(customers.filter((c) => c.DisplayName === ACME)).toHaveLength(1);

    // Unlink it with the confirmation dialog, giving a reason.
    await unlinkWithDialog(page, REASON, '11-customers-unlink-dialog');

    // The contact's page shows the link as unlinked, and its history has the link and the unlink (who, when, why).
    await row(page, ACME).getByRole('rowheader').getByRole('link', { name: ACME }).click();
    await page.waitForURL(/\/contacts\/[^/]+$/);
    await page.getByRole('heading', { name: ACME, level: 1 }).waitFor();
    const link = page.getByRole('article', { name: 'Link to Sandbox Company US (QuickBooks Online)' });
    await link.waitFor();
    expect((await link.locator('.state').textContent())?.trim()).toBe('Unlinked');
    const history = page.getByRole('list', { name: 'History of the link to Sandbox Company US (QuickBooks Online)' });
    const events = (await history.getByRole('listitem').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    const kinds = (await history.locator('.history__what').allTextContents()).map((text) => text.trim());
    const lastLink = kinds.findLastIndex((kind) => kind === 'Linked' || kind === 'Re-linked');
    const lastUnlink = kinds.findLastIndex((kind) => kind === 'Unlinked');
    expect(lastLink, `a "Linked" event in ${JSON.stringify(events)}`).toBeGreaterThanOrEqual(0);
    expect(lastUnlink).toBeGreaterThan(lastLink);
    expect(events[lastLink]).toMatch(/by \S/);
    expect(events[lastUnlink]).toContain(`“${REASON}”`);
    await shot(page, '12-contact-detail-history', true);
    expect(consoleErrors).toEqual([]);
  });
});
