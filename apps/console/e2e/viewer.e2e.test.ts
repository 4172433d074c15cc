// A viewer in a real browser: an admin first connects the sandbox QuickBooks Online company, uploads
// a customer (so there is a link to see), adds two local contacts that both fit the sandbox's
// "Bayside Plumbing Co", runs matching from the Matching screen, and accepts one of the suggestions.
// Then the seeded viewer signs in, visits every screen, sees that data, and finds no button or
// control that would change anything.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BAYSIDE, JOB_TIMEOUT, addBaysideLookalikes, SANDBOX_COMPANY, connectQuickBooks, mainNav, row, settleMatching, shot, signIn, useE2e } from './stack.js';

const UPLOADED = 'Bluegum Bakery';

/** Names (visible text or aria-label) of controls that change something; a viewer must see none. */
const CHANGING = /^(upload|unlink|connect|continue connecting|reconnect|refresh from|run matching|matching…|accept|reject|create key|revoke|save|sync now|syncing|retry|disconnect|import|enable|disable|link |relink |read from)/i;

const e2e = useE2e();

/** Every button (and link styled as one) in the page's main content, by its accessible name. */
async function buttonNames(page: Page): Promise<string[]> {
  return page
    .locator('main button, main a.button, main [role=button]')
    .evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

async function expectNothingToChange(page: Page): Promise<void> {
  const changing = (await buttonNames(page)).filter((name) => CHANGING.test(name));
  expect(changing, `changing buttons on ${page.url()}`).toEqual([]);
  const usable = 'main input[type=checkbox]:not([disabled]), main [role=combobox], main table select:not([disabled]), main table input:not([disabled])';
  expect(await page.locator(usable).count(), `usable checkboxes, typeaheads or table controls on ${page.url()}`).toBe(0);
}

describe('a viewer in Chromium against the whole stack', () => {
  it('sees every screen and its data, and no control that changes anything', async () => {
    const { stack } = e2e;

    // The admin prepares something to look at.
    const admin = await e2e.newPage();
    await signIn(admin, stack, 'admin');
    const connectionId = await connectQuickBooks(admin, stack);
    await settleMatching(admin, connectionId);
    await mainNav(admin, 'Customers').click();
    await admin.getByRole('checkbox', { name: `Select ${UPLOADED}` }).check();
    await admin.getByRole('button', { name: 'Upload 1 selected' }).click();
    await row(admin, UPLOADED).locator('td.contacts__linked').getByRole('link').waitFor({ timeout: JOB_TIMEOUT });

    // Two local customers that both fit the sandbox's Bayside Plumbing Co (same e-mail): neither can be
    // linked automatically, so matching suggests both ("contested").
    await addBaysideLookalikes(admin);
    await mainNav(admin, 'Matching').click();
    await admin.getByRole('heading', { name: 'Matching', level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Run matching' }).click();
    const finished = admin.getByRole('status').filter({ hasText: 'Matching finished:' });
    await finished.waitFor({ timeout: JOB_TIMEOUT });
    expect(await finished.textContent()).toMatch(/Matching finished: \d+ contacts? linked automatically, [1-9]\d* suggestions? to review, \d+ with no candidate\./);
    const card = admin.getByRole('article', { name: BAYSIDE, exact: true });
    await card.waitFor();
    expect(await card.locator('.compare tbody tr').first().textContent()).toContain(BAYSIDE);
    await shot(admin, '13-matching');
    await card.getByRole('button', { name: `Accept: link ${BAYSIDE} to ${BAYSIDE}` }).click();
    await admin.getByRole('status').filter({ hasText: 'Accepted 1 suggestion' }).waitFor({ timeout: JOB_TIMEOUT });
    await card.waitFor({ state: 'detached' });
    const suggestionCount = await admin.locator('article[data-suggestion-id]').count();
    await admin.context().close();

    // The viewer, in a browser of their own.
    const page = await e2e.newPage();
    await signIn(page, stack, 'viewer');

    // Integrations: the connection and the connectors, without Connect, Reconnect or Refresh.
    const connection = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').filter({ hasText: SANDBOX_COMPANY });
    await connection.waitFor();
    expect(await connection.textContent()).toContain(`Connected to ${SANDBOX_COMPANY}`);
    await page.getByRole('heading', { name: 'QuickBooks Online' }).first().waitFor();
    await expectNothingToChange(page);

    // Customers: the uploaded customer's link into QuickBooks, without Upload, Unlink, checkboxes or typeaheads.
    await mainNav(page, 'Customers').click();
    const linked = row(page, UPLOADED).locator('td.contacts__linked').getByRole('link');
    await linked.waitFor();
    expect(await linked.textContent()).toContain(UPLOADED);
    expect(await page.getByText('only owners and admins can change them').count()).toBe(1);
    await expectNothingToChange(page);
    await shot(page, '14-viewer-customers');

    // Suppliers.
    await mainNav(page, 'Suppliers').click();
    await row(page, 'Atlas Couriers').waitFor();
    await expectNothingToChange(page);

    // Matching: the same suggestions the admin saw, without Run matching, Accept or Reject.
    await mainNav(page, 'Matching').click();
    await page.getByRole('heading', { name: 'Matching', level: 1 }).waitFor();
    if (suggestionCount > 0) {
      await page.locator('article[data-suggestion-id]').first().waitFor();
      expect(await page.locator('article[data-suggestion-id]').count()).toBe(suggestionCount);
      expect(await page.getByText('only owners and admins can decide them').count()).toBe(1);
    } else {
      await page.getByRole('heading', { name: 'No suggestions to review' }).waitFor();
    }
    await expectNothingToChange(page);

    // Transactions: the tabs and the run history, without Sync now, Retry or fix buttons.
    await mainNav(page, 'Transactions').click();
    await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
    await page.getByRole('tablist', { name: 'Transactions by state' }).waitFor();
    for (const tab of ['Ready', 'Synced', 'Blocked', 'Failed']) {
      await page.getByRole('tab', { name: tab }).click();
      await expectNothingToChange(page);
    }

    // Field mapping: every control disabled, no Preview or Save.
    await mainNav(page, 'Field mapping').click();
    await page.getByRole('heading', { name: 'Field mapping', level: 1 }).waitFor();
    await expectNothingToChange(page);
    expect(await page.getByRole('button', { name: 'Preview changes' }).count()).toBe(0);

    // Activity: the audit log, read-only.
    await mainNav(page, 'Activity').click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    await expectNothingToChange(page);

    // The contact's page: its link and history.
    await mainNav(page, 'Customers').click();
    await row(page, UPLOADED).getByRole('rowheader').getByRole('link', { name: UPLOADED }).click();
    await page.getByRole('heading', { name: UPLOADED, level: 1 }).waitFor();
    await page.getByRole('article', { name: `Link to ${SANDBOX_COMPANY} (QuickBooks Online)` }).waitFor();
    await expectNothingToChange(page);

    // API keys: the API shows keys to owners and admins only; the page says so instead of failing.
    await mainNav(page, 'API keys').click();
    await page.getByRole('status').filter({ hasText: 'Only owners and admins can see the workspace' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Create a key' }).count()).toBe(0);
    await expectNothingToChange(page);

    expect(e2e.pageErrors).toEqual([]);
  });
});
