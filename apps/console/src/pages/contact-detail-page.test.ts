import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connection, contact, createFakeApi } from '../test/fake-api.js';
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
        { remoteId: '58', name: 'Acme Pty Ltd', email: null, status: 'active' },
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
