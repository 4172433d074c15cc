// A merge in the accounting system, followed by the console: Acme Pty Ltd is linked to the
// sandbox's "Acme Pty Ltd"; a person merges that customer into "Bayside Plumbing Co" on the
// sandbox's own page (as they would in QuickBooks); QuickBooks' webhook reaches the API and the
// Customers page shows the link pointing at the survivor, with the re-point in the history.
import { describe, expect, it } from 'vitest';
import { JOB_TIMEOUT, SANDBOX_COMPANY, connectQuickBooks, linkThroughTypeahead, openCustomers, row, sandboxCustomers, settleMatching, shot, signIn, useE2e } from './stack.js';

const ACME = 'Acme Pty Ltd';
const SURVIVOR = 'Bayside Plumbing Co';

const e2e = useE2e();

describe('a merge in the accounting system', () => {
  it('merging the linked customer on the sandbox page moves the link to the survivor, without anyone relinking', async () => {
    const { stack } = e2e;
    const page = await e2e.newPage();
    await signIn(page, stack, 'admin');
    const connectionId = await connectQuickBooks(page, stack);
    await settleMatching(page, connectionId);

    // Acme is linked to the sandbox's Acme Pty Ltd (matching usually did it; else link it by hand).
    await openCustomers(page, ACME);
    const linkedCell = row(page, ACME).locator('td.contacts__linked');
    if ((await linkedCell.getByRole('link').count()) === 0) {
      const combobox = page.getByRole('combobox', { name: `Find a QuickBooks Online record to link ${ACME} to` });
      await linkThroughTypeahead(page, combobox, 'Acme', ACME);
    }
    await linkedCell.getByRole('link', { name: new RegExp(ACME) }).waitFor({ timeout: JOB_TIMEOUT });

    // The person merges Acme into Bayside Plumbing Co on the sandbox's page.
    const customers = await sandboxCustomers(stack);
    const survivor = customers.find((c) => c.DisplayName === SURVIVOR);
    if (!survivor) throw new Error(`the sandbox has no ${SURVIVOR}`);
    const sandboxPage = await e2e.newPage();
    await sandboxPage.goto(`${stack.sandboxUrl}/`);
    const company = sandboxPage.getByRole('region', { name: SANDBOX_COMPANY });
    await company.getByLabel(`Merge ${ACME} into the customer with Id`).fill(survivor.Id);
    await shot(sandboxPage, '30-sandbox-merge');
    await company.getByRole('button', { name: `Merge ${ACME}`, exact: true }).click();
    await sandboxPage.waitForLoadState('load');
    expect((await sandboxCustomers(stack)).find((c) => c.DisplayName === ACME)).toBeUndefined();

    // The console follows: the webhook re-points the link; the page shows it after a reload.
    const deadline = Date.now() + JOB_TIMEOUT;
    for (;;) {
      await page.reload();
      await row(page, ACME).waitFor();
      const text = (await linkedCell.textContent()) ?? '';
      if (text.includes(SURVIVOR)) break;
      if (Date.now() > deadline) throw new Error(`the link of ${ACME} did not follow the merge; the cell shows "${text.trim()}"`);
      await page.waitForTimeout(500);
    }
    expect(await linkedCell.getByRole('link').textContent()).toContain(SURVIVOR);
    await shot(page, '31-customers-link-followed-merge');

    // The contact's history says why it moved.
    await row(page, ACME).getByRole('rowheader').getByRole('link', { name: ACME }).click();
    await page.waitForURL(/\/contacts\/[^/]+$/);
    const history = page.getByRole('list', { name: `History of the link to ${SANDBOX_COMPANY} (QuickBooks Online)` });
    await history.waitFor();
    const events = (await history.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(events.some((e) => /merged/i.test(e)), JSON.stringify(events)).toBe(true);
    expect(e2e.pageErrors).toEqual([]);
  });
});
