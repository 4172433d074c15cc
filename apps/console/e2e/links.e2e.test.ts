// Linking by hand in a real browser: connect the sandbox QuickBooks Online company, link the demo
// customer "Acme Pty Ltd" to the sandbox's existing "Acme Pty Ltd" through the row's typeahead,
// unlink it with the confirmation dialog, and read both changes in the contact's link history.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { JOB_TIMEOUT, SANDBOX_COMPANY, connectQuickBooks, escapeRegExp, linkThroughTypeahead, openCustomers, row, sandboxCustomers, settleMatching, shot, signIn, useE2e } from './stack.js';

const ACME = 'Acme Pty Ltd';
const REASON = 'Wrong customer: checking the console';

const e2e = useE2e();

async function unlinkWithDialog(page: Page, reason: string, screenshot?: string): Promise<void> {
  await page.getByRole('checkbox', { name: `Select ${ACME}` }).check();
  await page.getByRole('button', { name: 'Unlink 1 selected' }).click();
  const dialog = page.getByRole('dialog', { name: `Unlink 1 customer from ${SANDBOX_COMPANY} (QuickBooks Online)?` });
  await dialog.waitFor();
  expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
  await dialog.getByLabel('Reason (optional)').fill(reason);
  if (screenshot) await shot(page, screenshot);
  await dialog.getByRole('button', { name: 'Unlink 1 customer' }).click();
  await page.getByRole('status').filter({ hasText: `Unlinked 1 customer from ${SANDBOX_COMPANY}.` }).waitFor({ timeout: JOB_TIMEOUT });
  expect((await row(page, ACME).locator('td.contacts__linked').textContent())?.trim()).toBe('No linked contact');
}

describe('linking by hand in Chromium against the whole stack', () => {
  it('links Acme Pty Ltd to the existing QuickBooks customer through the typeahead, unlinks it, and shows both in its history', async () => {
    const { stack } = e2e;
    const page = await e2e.newPage();

    // Sign in and connect QuickBooks Online (the sandbox's Sandbox Company US).
    await signIn(page, stack, 'admin');
    const connectionId = await connectQuickBooks(page, stack);
    await settleMatching(page, connectionId);

    // Customers: if matching linked Acme on its own, unlink it first so the row offers the typeahead.
    await openCustomers(page, ACME);
    if (await row(page, ACME).locator('td.contacts__linked a').count()) await unlinkWithDialog(page, 'Undo the automatic match');

    // Link through the typeahead: type, move down to the sandbox's Acme Pty Ltd, Enter.
    const combobox = page.getByRole('combobox', { name: `Find a QuickBooks Online record to link ${ACME} to` });
    await linkThroughTypeahead(page, combobox, 'Acme', ACME, '09-customers-link-typeahead');
    const linked = row(page, ACME).locator('td.contacts__linked').getByRole('link');
    await linked.waitFor({ timeout: JOB_TIMEOUT });
    expect(await linked.textContent()).toContain(ACME);
    expect(await linked.getAttribute('href')).toMatch(new RegExp(`^${escapeRegExp(stack.sandboxUrl)}/`));
    await shot(page, '10-customers-linked-existing');

    // Linking created nothing: the sandbox company still has exactly one Acme Pty Ltd.
    expect((await sandboxCustomers(stack)).filter((c) => c.DisplayName === ACME)).toHaveLength(1);

    // Unlink it with the confirmation dialog, giving a reason.
    await unlinkWithDialog(page, REASON, '11-customers-unlink-dialog');

    // The contact's page shows the link as unlinked, and its history has the link and the unlink (who, when, why).
    await row(page, ACME).getByRole('rowheader').getByRole('link', { name: ACME }).click();
    await page.waitForURL(/\/contacts\/[^/]+$/);
    await page.getByRole('heading', { name: ACME, level: 1 }).waitFor();
    const link = page.getByRole('article', { name: `Link to ${SANDBOX_COMPANY} (QuickBooks Online)` });
    await link.waitFor();
    expect((await link.locator('.state').textContent())?.trim()).toBe('Unlinked');
    const history = page.getByRole('list', { name: `History of the link to ${SANDBOX_COMPANY} (QuickBooks Online)` });
    const events = (await history.getByRole('listitem').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    const kinds = (await history.locator('.history__what').allTextContents()).map((text) => text.trim());
    const lastLink = kinds.findLastIndex((kind) => kind === 'Linked' || kind === 'Re-linked');
    const lastUnlink = kinds.findLastIndex((kind) => kind === 'Unlinked');
    expect(lastLink, `a "Linked" event in ${JSON.stringify(events)}`).toBeGreaterThanOrEqual(0);
    expect(lastUnlink).toBeGreaterThan(lastLink);
    expect(events[lastLink]).toMatch(/by \S/);
    expect(events[lastUnlink]).toContain(`“${REASON}”`);
    await shot(page, '12-contact-detail-history', true);
    expect(e2e.pageErrors).toEqual([]);
  });
});
