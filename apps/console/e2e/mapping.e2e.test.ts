// Changing a field mapping in a real browser: connect the sandbox's QuickBooks Online company,
// turn the e-mail transform to lower case, preview what it would send for the demo customers,
// save it as a new version, and find it again after a reload (the API kept it).
import { describe, expect, it } from 'vitest';
import { callApi, connectQuickBooks, mainNav, shot, signIn, useE2e } from './stack.js';

const e2e = useE2e();

describe('field mapping in Chromium against the whole stack', () => {
  it('previews a change on sample records, saves it as a new version, and shows it after a reload', async () => {
    const { stack } = e2e;
    const page = await e2e.newPage();
    await signIn(page, stack, 'admin');
    const connectionId = await connectQuickBooks(page, stack);
    // A customer whose e-mail has capitals, so lower-casing it changes what would be sent.
    await callApi(page, 'PUT', '/api/v1/contacts/e2e-mapping-1', { kind: 'customer', displayName: 'Mapping Capitals Ltd', email: 'Accounts@Capitals.example' });

    await mainNav(page, 'Field mapping').click();
    await page.getByRole('heading', { name: 'Field mapping', level: 1 }).waitFor();
    const transform = page.getByRole('combobox', { name: 'Transform for emails[primary]' });
    await transform.waitFor();
    await transform.selectOption('lower');

    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: 'Preview on sample records' });
    await preview.waitFor();
    const record = preview.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Mapping Capitals Ltd' }) });
    await record.waitFor();
    const emailRow = record.getByRole('row').filter({ hasText: 'Accounts@Capitals.example' });
    expect((await emailRow.textContent())?.replace(/\s+/g, ' ')).toContain('accounts@capitals.example');
    expect(await preview.getByRole('status').textContent()).toContain('Nothing is saved until you choose Save Changes');
    await shot(page, '32-mapping-preview', true);
    // Previewing saved nothing.
    const before = await callApi<{ items: Array<{ version: number }> }>(page, 'GET', `/api/v1/connections/${connectionId}/mappings/customer/versions`);
    expect(before.items).toEqual([]);

    await page.getByRole('button', { name: 'Save Changes' }).click();
    await page.getByText('Saved as version 1: it applies from now on.').waitFor();
    const after = await callApi<{ items: Array<{ version: number; rules: Array<{ source: string; transform: { kind: string } }> }> }>(
      page, 'GET', `/api/v1/connections/${connectionId}/mappings/customer/versions`,
    );
    expect(after.items.map((v) => v.version)).toEqual([1]);
    expect(after.items[0]?.rules.find((r) => r.source === 'emails[primary]')?.transform.kind).toBe('lower');

    await page.reload();
    await page.getByRole('combobox', { name: 'Transform for emails[primary]' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Transform for emails[primary]' }).inputValue()).toBe('lower');
    await shot(page, '33-mapping-saved');

    // The connection's settings screen: a bad cron is refused at its field, a good one is kept.
    await mainNav(page, 'Integrations').click();
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.getByRole('heading', { name: /settings/, level: 1 }).waitFor();
    await page.getByLabel('Schedule').selectOption('cron');
    await page.getByLabel('Cron expression').fill('every night');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#schedule-expression-error').filter({ hasText: 'cron expression of 5 or 6 fields' }).waitFor();
    expect(await page.getByLabel('Cron expression').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Cron expression').fill('0 2 * * *');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await shot(page, '34-connection-settings');
    await page.reload();
    await page.getByLabel('Cron expression').waitFor();
    expect(await page.getByLabel('Cron expression').inputValue()).toBe('0 2 * * *');

    // The audit trail has both saves; the API keys page; the workspace switcher in the user menu.
    await mainNav(page, 'Activity').click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    await page.getByText('mapping.saved').first().waitFor();
    await page.getByText('connection.settings_changed').first().waitFor();
    await shot(page, '35-activity');
    await mainNav(page, 'API keys').click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await shot(page, '36-api-keys');
    await page.getByRole('button', { name: /Demo Admin/ }).click();
    const other = page.getByRole('menuitemradio', { name: /Harbour Goods \(second workspace\)/ });
    await other.waitFor();
    await shot(page, '37-workspace-switcher');
    await other.click();
    await page.locator('.app-header__workspace').filter({ hasText: 'Harbour Goods (second workspace)' }).waitFor();
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    expect(await page.getByRole('list', { name: 'Connections' }).count()).toBe(0);
    expect(e2e.pageErrors).toEqual([]);
  });
});
