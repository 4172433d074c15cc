// Transactions in a real browser: two ready invoices, one for a linked customer and one for a customer
// that is not linked. "Sync now" sends the first to the sandbox's QuickBooks Online company and holds
// the second with its reason; its "Link contact" fix opens the contact, where it is linked to the
// existing QuickBooks customer; the next "Sync now" sends it too. Finally the linked customer's page
// reads its invoices back from QuickBooks, each with a link into it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BAYSIDE, JOB_TIMEOUT, addBaysideLookalikes, callApi, connectQuickBooks, escapeRegExp, linkThroughTypeahead, mainNav, row, settleMatching, shot, signIn, useE2e } from './stack.js';

const LINKED = 'Bluegum Bakery';
const UNLINKED = BAYSIDE;

const e2e = useE2e();

function invoice(contactExternalId: string, number: string, total: number) {
  return {
    type: 'invoice', contactExternalId, ready: true, number, issueDate: '2026-11-20', currency: 'USD', total,
    lines: [{ description: 'Services', quantity: 1, unitAmount: total, amount: total }],
  };
}

/** Presses Sync now and waits until the newest run has ended; returns its counts. */
async function syncNow(page: Page): Promise<string> {
  const runs = page.locator('li.run');
  const before = await runs.count();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => runs.count(), { timeout: JOB_TIMEOUT }).toBe(before + 1);
  const newest = runs.first();
  await newest.locator('strong', { hasText: /^(Completed|Failed)$/ }).waitFor({ timeout: JOB_TIMEOUT });
  return ((await newest.locator('.run__counts').textContent()) ?? '').trim();
}

describe('transactions in Chromium against the whole stack', () => {
  it('syncs a ready invoice, holds one whose customer is not linked, and sends it once the customer is linked through its fix', async () => {
    const { stack } = e2e;
    const page = await e2e.newPage();
    await signIn(page, stack, 'admin');
    const connectionId = await connectQuickBooks(page, stack);

    // Bluegum Bakery is uploaded (so linked); two local customers both fit the sandbox's Bayside
    // Plumbing Co, so matching links neither.
    await mainNav(page, 'Customers').click();
    await page.getByRole('checkbox', { name: `Select ${LINKED}` }).check();
    await page.getByRole('button', { name: 'Upload 1 selected' }).click();
    await row(page, LINKED).locator('td.contacts__linked').getByRole('link').waitFor({ timeout: JOB_TIMEOUT });
    await addBaysideLookalikes(page);
    await settleMatching(page, connectionId);
    await callApi(page, 'PUT', '/api/v1/transactions/e2e-inv-1', invoice('demo-cust-002', 'E2E-1001', 12550));
    await callApi(page, 'PUT', '/api/v1/transactions/e2e-inv-2', invoice('e2e-bayside-1', 'E2E-1002', 48000));

    // Ready: both invoices, not sent yet.
    await mainNav(page, 'Transactions').click();
    await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
    const table = page.locator('table.transactions');
    await table.getByRole('rowheader', { name: 'Invoice E2E-1002' }).waitFor();
    expect(await table.locator('tbody tr').filter({ hasText: 'E2E-1001' }).textContent()).toContain('$125.50');

    // Sync now: one synced, one blocked.
    expect(await syncNow(page)).toBe('1 synced, 0 failed, 1 blocked, 0 unchanged');
    await page.getByRole('tab', { name: 'Synced' }).click();
    const synced = table.locator('tbody tr').filter({ hasText: 'E2E-1001' });
    await synced.waitFor();
    expect(await synced.getByRole('link', { name: 'Open in QuickBooks Online' }).getAttribute('href')).toMatch(new RegExp(`^${escapeRegExp(stack.sandboxUrl)}/`));

    await page.getByRole('tab', { name: 'Blocked' }).click();
    const blocked = table.locator('tbody tr').filter({ hasText: 'E2E-1002' });
    await blocked.waitFor();
    expect(await blocked.locator('.reason').textContent()).toMatch(/not linked/i);
    await shot(page, '15-transactions-blocked');

    // The fix: Link contact opens the customer, linked there to the existing QuickBooks customer.
    await blocked.getByRole('link', { name: 'Link contact' }).click();
    await page.getByRole('heading', { name: UNLINKED, level: 1 }).waitFor();
    const combobox = page.getByRole('combobox', { name: `Find a QuickBooks Online record to link ${UNLINKED} to` });
    await linkThroughTypeahead(page, combobox, 'Bayside', UNLINKED);
    await page.getByRole('status').filter({ hasText: `Linked to ${UNLINKED}.` }).waitFor({ timeout: JOB_TIMEOUT });

    // Sync now again: the held invoice goes out; nothing is blocked any more.
    await mainNav(page, 'Transactions').click();
    await page.locator('li.run').first().waitFor();
    expect(await syncNow(page)).toMatch(/^1 synced, 0 failed, 0 blocked/);
    await page.getByRole('tab', { name: 'Synced' }).click();
    await table.locator('tbody tr').filter({ hasText: 'E2E-1002' }).getByRole('link', { name: 'Open in QuickBooks Online' }).waitFor();
    await page.getByRole('tab', { name: 'Blocked' }).click();
    await page.getByRole('heading', { name: 'Nothing is blocked: every transaction sent could be planned.' }).waitFor();
    await page.getByRole('tab', { name: 'Synced' }).click();
    await table.locator('tbody tr').filter({ hasText: 'E2E-1002' }).waitFor();
    await shot(page, '16-transactions-synced', true);

    // Bluegum Bakery's page reads its accounting transactions back from QuickBooks, with links into it.
    await table.getByRole('link', { name: LINKED }).click();
    await page.getByRole('heading', { name: LINKED, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Read from QuickBooks Online' }).click();
    const remote = page.getByRole('table', { name: 'Accounting transactions of this contact' }).locator('tbody tr').filter({ hasText: '$125.50' });
    await remote.waitFor({ timeout: JOB_TIMEOUT });
    expect(await remote.getByRole('link', { name: /Open in QuickBooks Online/ }).getAttribute('href')).toMatch(new RegExp(`^${escapeRegExp(stack.sandboxUrl)}/`));
    expect(e2e.pageErrors).toEqual([]);
  });
});
