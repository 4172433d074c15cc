// The walking skeleton in a real browser: sign in, connect the sandbox QuickBooks Online company
// through OAuth, upload two local customers, see them linked, and confirm with the sandbox itself
// that each was created exactly once.
import { describe, expect, it } from 'vitest';
import { JOB_TIMEOUT, SANDBOX_COMPANY, escapeRegExp, mainNav, row, sandboxCustomers, shot, useE2e } from './stack.js';

/** Two of the API's demo customers with no namesake in the sandbox company. */
const CUSTOMERS = ['Bluegum Bakery', 'Harbourview Dental'] as const;

const e2e = useE2e();

describe('console in Chromium against the whole stack', () => {
  it('connects QuickBooks Online, uploads two customers, and links each to exactly one QuickBooks customer', async () => {
    const { stack } = e2e;
    const { apiUrl, sandboxUrl } = stack;
    const page = await e2e.newPage();
    const context = page.context();

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
    await mainNav(page, 'Integrations').click();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).waitFor();
    await shot(page, '02-integrations');
    await page.getByRole('button', { name: 'Connect QuickBooks Online' }).click();
    await page.waitForURL((url) => url.href.startsWith(sandboxUrl));
    await page.getByLabel(SANDBOX_COMPANY).check();
    await shot(page, '03-sandbox-consent');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    // Back on Integrations, connected to the chosen company.
    await page.waitForURL((url) => url.href.startsWith(`${apiUrl}/integrations`));
    const notice = page.getByRole('status').filter({ hasText: 'is connected' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`QuickBooks Online is connected to ${SANDBOX_COMPANY}.`);
    const connection = page.getByRole('list', { name: 'Connections' }).getByRole('listitem').filter({ hasText: SANDBOX_COMPANY });
    await connection.waitFor();
    expect(await connection.textContent()).toContain(`Connected to ${SANDBOX_COMPANY}`);
    await shot(page, '04-integrations-connected');

    // Customers: both demo customers are not linked yet; select them and upload.
    await mainNav(page, 'Customers').click();
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
      await link.waitFor({ timeout: JOB_TIMEOUT });
      expect(await link.textContent()).toContain(name);
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${escapeRegExp(sandboxUrl)}/`));
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
    const customers = await sandboxCustomers(stack);
    for (const name of CUSTOMERS) {
      expect(customers.filter((c) => c.DisplayName === name), `${name} in QuickBooks`).toHaveLength(1);
    }
    expect(e2e.pageErrors).toEqual([]);
  });
});
