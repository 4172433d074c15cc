import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { connection, contact, createFakeApi, demoSession } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import ContactDetailPage from './contact-detail-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>, id: string) {
  const { wrapper } = await mountWithApp(ContactDetailPage, fake.api, { path: `/contacts/${id}`, props: { id } });
  await flushPromises();
  return wrapper;
}

describe('contact detail page', () => {
  it('shows the local fields and each link with its state, remote record and history (who, when, why)', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      contacts: [contact('k1', 'Acme Pty Ltd', { companyName: 'Acme Pty Ltd', email: 'accounts@acme.example', phone: '+61 2 5550 1234' })],
      remotes: [
        { remoteId: '58', name: 'Acme Pty Ltd', email: 'ap@acme.example', status: 'active', paymentTerms: 'Net 30' },
        { remoteId: '61', name: 'Acme Trading', email: null, status: 'active' },
      ],
    });
    // Linked to the wrong one, unlinked with a reason, then linked to the right one.
    await fake.api.createLink('conn-1', { contactId: 'k1', remoteId: '61' });
    await fake.api.deleteLink('conn-1', 'k1', { reason: 'Wrong Acme' });
    await fake.api.createLink('conn-1', { contactId: 'k1', remoteId: '58' });

    const wrapper = await open(fake, 'k1');
    expect(wrapper.get('h1').text()).toBe('Acme Pty Ltd');
    const fields = wrapper.get('dl').text();
    expect(fields).toContain('accounts@acme.example');
    expect(fields).toContain('+61 2 5550 1234');
    expect(fields).toContain('ext-k1');

    const link = wrapper.get('article[data-connection-id="conn-1"]');
    expect(link.get('h3').text()).toBe('Sandbox Company US (QuickBooks Online)');
    expect(link.get('.state').text()).toBe('Linked');
    const remote = link.get('.link__remote a');
    expect(remote.text()).toContain('Acme Pty Ltd');
    expect(remote.attributes('href')).toBe('https://sandbox.example/app/customerdetail?nameId=58');
    expect(remote.attributes('target')).toBe('_blank');
    // What the accounting system holds for the linked record.
    const summary = link.get('dl.link__summary').text();
    expect(summary).toContain('Payment terms');
    expect(summary).toContain('Net 30');
    expect(summary).toContain('ap@acme.example');

    const history = link.findAll('.history__event').map((e) => e.text());
    expect(history).toHaveLength(3);
    expect(history[0]).toMatch(/Linked.*record 61.*by Avery Admin/);
    expect(history[1]).toMatch(/Unlinked.*was record 61.*by Avery Admin.*“Wrong Acme”/);
    expect(history[2]).toMatch(/Linked.*record 58/);
    expect(link.findAll('.history__event time')[1]?.attributes('datetime')).toBe(fake.state.linkEvents[1]?.createdAt);
  });

  it('shows an unlinked link as unlinked, without a deep link', async () => {
    const fake = createFakeApi({ contacts: [contact('k1', 'Amy Adams')], remotes: [{ remoteId: '58', name: 'Amy', email: null, status: 'active' }] });
    await fake.api.createLink('conn-1', { contactId: 'k1', remoteId: '58' });
    await fake.api.deleteLink('conn-1', 'k1', {});
    const link = (await open(fake, 'k1')).get('article[data-connection-id="conn-1"]');
    expect(link.get('.state').text()).toBe('Unlinked');
    expect(link.find('.link__remote a').exists()).toBe(false);
  });

  it('says so when the contact does not exist', async () => {
    const wrapper = await open(createFakeApi(), 'nope');
    expect(wrapper.get('[role=alert]').text()).toBe('Could not load this contact: No such contact in this workspace.');
  });

  it('is reached by clicking a name in the customers table', async () => {
    const fake = createFakeApi({ connections: [connection()], contacts: [contact('k1', 'Amy Adams')] });
    const { default: ContactsPage } = await import('./contacts-page.vue');
    const { wrapper, router } = await mountWithApp(ContactsPage, fake.api, { path: '/customers', props: { kind: 'customer' } });
    await flushPromises();
    await wrapper.get('tr[data-contact-id="k1"] th a').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/contacts/k1');
  });
});

describe('contact detail page, accounting transactions', () => {
  it('"Read from QuickBooks Online" fetches the contact’s accounting transactions: balance due and links into the provider', async () => {
    const link = {
      connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId: '58', remoteName: 'Acme Pty Ltd', state: 'linked' as const,
      reason: null, deepLink: null, linkedAt: '2026-11-23T10:00:00.000Z',
    };
    const fake = createFakeApi({
      connections: [connection()],
      contacts: [contact('k1', 'Acme Pty Ltd', { links: [link] })],
      remoteTransactions: new Map([
        ['k1', [
          { connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId: '130', type: 'invoice' as const, number: '1037', status: 'partially_paid' as const, currency: 'USD', total: 50000, amountDue: 12550, issueDate: '2026-11-02', deepLink: 'https://sandbox.example/app/invoice?txnId=130', transactionId: null, syncedAt: '2026-11-23T10:00:00.000Z' },
          { connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId: '131', type: 'payment' as const, number: null, status: 'paid' as const, currency: 'USD', total: 37450, amountDue: null, issueDate: '2026-11-10', deepLink: null, transactionId: null, syncedAt: '2026-11-23T10:00:00.000Z' },
        ]],
      ]),
    });
    const { wrapper } = await mountWithApp(ContactDetailPage, fake.api, { path: '/contacts/k1', props: { id: 'k1', pollIntervalMs: 1 } });
    await flushPromises();
    expect(wrapper.text()).toContain('QuickBooks Online: not read yet');
    expect(wrapper.text()).toContain('No invoices, bills or payments have been read for this contact yet.');
    await wrapper.findAll('button').find((b) => b.text() === 'Read from QuickBooks Online')!.trigger('click');
    await vi.waitFor(() => expect(wrapper.findAll('table.remote tbody tr')).toHaveLength(2));
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/remote-transactions/read');
    expect(wrapper.text()).toMatch(/QuickBooks Online: read \d+ Nov 2026/);
    const rows = wrapper.findAll('table.remote tbody tr');
    expect(rows.map((r) => r.get('th').text())).toEqual(['Invoice 1037', 'Payment 131']);
    expect(rows[0]!.text()).toContain('Partly paid');
    expect(rows[0]!.text()).toContain('$500.00');
    const open_ = rows[0]!.get('a');
    expect(open_.text()).toContain('Open in QuickBooks Online');
    expect(open_.attributes('href')).toBe('https://sandbox.example/app/invoice?txnId=130');
    expect(open_.attributes('target')).toBe('_blank');
    expect(rows[1]!.find('a').exists()).toBe(false);
    expect(wrapper.get('.balance').text()).toBe('Balance due: $125.50');
  });

  it('says what to do when there are none: link the contact first', async () => {
    const wrapper = await open(createFakeApi({ connections: [connection()], contacts: [contact('k1', 'Acme Pty Ltd')] }), 'k1');
    expect(wrapper.text()).toContain('Link this contact to a record in your accounting system to see its invoices, bills and payments here.');
  });
});

describe('contact detail page, linking from the page', () => {
  it('an unlinked contact can be linked to an existing record here (where "Link contact" on a blocked transaction leads)', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      contacts: [contact('k1', 'Acme Pty Ltd')],
      remotes: [{ remoteId: '58', name: 'Acme Pty Ltd', email: null, status: 'active' }],
    });
    const { wrapper } = await mountWithApp(ContactDetailPage, fake.api, { path: '/contacts/k1', props: { id: 'k1' } });
    await flushPromises();
    const input = wrapper.get('[data-link-connection-id="conn-1"] input[role=combobox]');
    (input.element as HTMLInputElement).value = 'Acme';
    await input.trigger('input');
    await vi.waitFor(() => expect(wrapper.findAll('[role=option]')).toHaveLength(1));
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(wrapper.get('[role=status]').text()).toContain('Linked to Acme Pty Ltd.'));
    expect(fake.state.contacts[0]!.links[0]).toMatchObject({ remoteId: '58', state: 'linked' });
    expect(wrapper.get('article[aria-label^="Link to"] .state').text()).toBe('Linked');
    expect(wrapper.find('[data-link-connection-id]').exists()).toBe(false);
  });

  it('viewers get no typeahead', async () => {
    const fake = createFakeApi({
      session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } },
      connections: [connection()],
      contacts: [contact('k1', 'Acme Pty Ltd')],
    });
    const wrapper = await open(fake, 'k1');
    expect(wrapper.find('[role=combobox]').exists()).toBe(false);
    expect(wrapper.findAll('button')).toHaveLength(0);
  });
});
