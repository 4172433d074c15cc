import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../composables/use-transactions.js';
import { connection, createFakeApi, demoSession, transaction } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import TransactionsPage from './transactions-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>, props: Record<string, unknown> = {}) {
  const { wrapper, router } = await mountWithApp(TransactionsPage, fake.api, { path: '/transactions', props: { pollIntervalMs: 1, ...props } });
  await flushPromises();
  return { wrapper, router };
}
const button = (wrapper: VueWrapper, text: string) => {
  const found = wrapper.findAll('button').find((b) => b.text() === text);
  if (!found) throw new Error(`no button "${text}" in: ${wrapper.findAll('button').map((b) => b.text()).join(', ')}`);
  return found;
};
const tab = (wrapper: VueWrapper, name: string) => wrapper.findAll('[role=tab]').find((t) => t.text() === name)!;

function failedEntry(reason: string, fixAction: 'link_contact' | 'retry' | 'fix_data') {
  return {
    connectionId: 'conn-1', connectorId: 'quickbooks-online', state: fixAction === 'link_contact' ? ('blocked' as const) : ('failed' as const), reason, fixAction,
    remoteId: null, deepLink: null, attempts: 1, changedSinceSync: false, lastRunId: 'sync-0', syncedAt: null, updatedAt: '2026-11-23T10:00:00.000Z',
  };
}

describe('transactions page', () => {
  it('lists ready transactions with contact, date and total in the currency’s own decimals', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      transactions: [transaction('t1', 'Acme Pty Ltd'), transaction('t2', 'Tokyo Traders', { currency: 'JPY', total: 5000 }), transaction('t3', 'Draft Co', { ready: false })],
    });
    const { wrapper } = await open(fake);
    const rows = wrapper.findAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('Invoice INV-t1');
    expect(rows[0]!.text()).toContain('$1,234.56');
    expect(rows[0]!.text()).toContain('Not sent yet');
    expect(rows[0]!.get('a').attributes('href')).toBe('/contacts/c-t1');
    expect(rows[1]!.text()).toContain('¥5,000');
    expect(formatMoney(1234, 'KWD').replace(/\s/g, ' ')).toBe('KWD 1.234');
    expect(fake.state.requests).toContain('GET /api/v1/transactions?limit=50&ready=true');
  });

  it('Sync now starts a run, shows each batch’s progress while it runs, then the result and the synced rows', async () => {
    const fake = createFakeApi({ connections: [connection()], transactions: [transaction('t1', 'Acme Pty Ltd'), transaction('t2', 'Bluegum Bakery')], autoAdvance: false });
    const { wrapper } = await open(fake);
    expect(wrapper.text()).toContain('No syncs yet');

    await button(wrapper, 'Sync now').trigger('click');
    await vi.waitFor(() => expect(wrapper.find('.batch progress').exists()).toBe(true));
    expect(wrapper.get('.batch label').text()).toBe('Batch 1: 1 of 2');
    expect((wrapper.get('.batch progress').element as HTMLProgressElement).value).toBe(1);
    expect(button(wrapper, 'Syncing…').attributes('disabled')).toBeDefined();
    fake.finishSyncRuns();

    await vi.waitFor(() => expect(wrapper.get('.run').text()).toContain('Completed'));
    expect(wrapper.get('.run__counts').text()).toBe('2 synced, 0 failed, 0 blocked, 0 unchanged');
    expect(wrapper.find('.batch').exists()).toBe(false);
    await vi.waitFor(() => expect(wrapper.get('tbody tr').text()).toContain('Synced'));
    const deepLink = wrapper.get('tbody tr a[target=_blank]');
    expect(deepLink.text()).toBe('Open in QuickBooks Online');
    expect(deepLink.attributes('href')).toBe('https://sandbox.example/app/invoice?txnId=r-t1');
  });

  it('the Blocked and Failed tabs show each reason with its fix: Link contact opens the contact, Retry sends it again', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      transactions: [
        transaction('t1', 'Acme Pty Ltd', { sync: [failedEntry('Acme Pty Ltd is not linked to a QuickBooks Online customer.', 'link_contact')] }),
        transaction('t2', 'Bluegum Bakery', { sync: [failedEntry('QuickBooks Online was unavailable (503).', 'retry')] }),
        transaction('t3', 'Harbourview Dental', { sync: [failedEntry('Line 1 has no amount.', 'fix_data')] }),
      ],
    });
    const { wrapper, router } = await open(fake);

    await tab(wrapper, 'Blocked').trigger('click');
    await flushPromises();
    expect(fake.state.requests).toContain('GET /api/v1/transactions?limit=50&connectionId=conn-1&syncState=blocked');
    const blocked = wrapper.get('tbody tr');
    expect(blocked.text()).toContain('Acme Pty Ltd is not linked to a QuickBooks Online customer.');
    const link = blocked.findAll('a').find((a) => a.text() === 'Link contact')!;
    await link.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/contacts/c-t1');
    await router.push('/transactions');

    await tab(wrapper, 'Failed').trigger('click');
    await flushPromises();
    const failed = wrapper.findAll('tbody tr');
    expect(failed.map((r) => r.get('th').text())).toEqual(['Invoice INV-t2', 'Invoice INV-t3']);
    expect(failed[1]!.text()).toContain('Correct it in your business app');
    await failed[0]!.findAll('button').find((b) => b.text() === 'Retry')!.trigger('click');
    await flushPromises();
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/transactions/retry');
    await vi.waitFor(() => expect(wrapper.get('.run').text()).toContain('Completed'));
    await vi.waitFor(() => expect(wrapper.findAll('tbody tr').map((r) => r.get('th').text())).toEqual(['Invoice INV-t3']));
  });

  it('tabs work with the arrow keys', async () => {
    const { wrapper } = await open(createFakeApi({ connections: [connection()] }));
    await tab(wrapper, 'Ready').trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(tab(wrapper, 'Synced').attributes('aria-selected')).toBe('true');
    expect(document.activeElement?.textContent?.trim()).toBe('Synced');
    await tab(wrapper, 'Synced').trigger('keydown', { key: 'ArrowLeft' });
    await tab(wrapper, 'Ready').trigger('keydown', { key: 'ArrowLeft' });
    await flushPromises();
    expect(tab(wrapper, 'Failed').attributes('aria-selected')).toBe('true');
  });

  it('draws the results of finished runs over time', async () => {
    const run = (id: string, succeeded: number, failed: number) => ({
      id, connectionId: 'conn-1', kind: 'transactions', trigger: 'manual', state: 'completed' as const, total: succeeded + failed, succeeded, failed,
      blocked: 0, unchanged: 0, createdAt: '2026-11-23T10:00:00.000Z', startedAt: null, finishedAt: null, batches: [], held: [],
    });
    const { wrapper } = await open(createFakeApi({ connections: [connection()], syncRuns: [run('a', 5, 1), run('b', 3, 0)] }));
    const chart = wrapper.get('svg[role=img]');
    expect(chart.attributes('aria-label')).toBe('Results of the last 2 sync runs, oldest to newest: 8 synced, 1 failed, 0 blocked in all.');
    expect(chart.findAll('rect')).toHaveLength(3);
  });

  it('with no connection, says to connect one first', async () => {
    const { wrapper } = await open(createFakeApi());
    expect(wrapper.text()).toContain('Nothing to sync to yet.');
    expect((button(wrapper, 'Sync now').element as HTMLButtonElement).disabled).toBe(true);
  });

  it('viewers see transactions and their reasons without Sync now, Retry or fix buttons', async () => {
    const fake = createFakeApi({
      session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } },
      connections: [connection()],
      transactions: [transaction('t1', 'Acme Pty Ltd', { sync: [failedEntry('QuickBooks Online was unavailable (503).', 'retry')] })],
    });
    const { wrapper } = await open(fake);
    await tab(wrapper, 'Failed').trigger('click');
    await flushPromises();
    expect(wrapper.get('tbody tr').text()).toContain('QuickBooks Online was unavailable (503).');
    expect(wrapper.findAll('button:not([role=tab])').map((b) => b.text())).toEqual([]);
    expect(wrapper.findAll('tbody a').map((a) => a.text())).toEqual(['Acme Pty Ltd']);
  });
});
