import type { ContactLinkView } from '@ledgerlink/contract';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { contact, createFakeApi, type FakeRemote } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import LinkTypeahead from './link-typeahead.vue';

const remotes: FakeRemote[] = [
  { remoteId: '58', name: 'Acme Pty Ltd', email: 'accounts@acme.example', status: 'active' },
  { remoteId: '59', name: 'Acme Holdings', email: null, status: 'active' },
  { remoteId: '60', name: 'Acme Old', email: null, status: 'inactive' },
  { remoteId: '61', name: 'Acme Trading', email: null, status: 'active' },
];
const bobLink: ContactLinkView = {
  connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId: '59', remoteName: 'Acme Holdings', state: 'linked',
  reason: null, deepLink: null, linkedAt: '2026-11-23T10:00:00.000Z',
};

function setup() {
  return createFakeApi({ contacts: [contact('k1', 'Acme Pty Ltd'), contact('k2', 'Bob Builder', { links: [bobLink] })], remotes });
}

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(LinkTypeahead, fake.api, {
    path: '/customers',
    props: { connectionId: 'conn-1', contactId: 'k1', contactName: 'Acme Pty Ltd', providerName: 'QuickBooks Online', debounceMs: 5 },
  });
  return wrapper;
}

async function type(wrapper: VueWrapper, ...texts: string[]) {
  const input = wrapper.get('input[role=combobox]');
  for (const text of texts) {
    (input.element as HTMLInputElement).value = text;
    await input.trigger('input');
  }
}
const candidateRequests = (fake: ReturnType<typeof createFakeApi>) => fake.state.requests.filter((r) => r.includes('/candidates'));
const options = (wrapper: VueWrapper) => wrapper.findAll('[role=option]');

describe('link typeahead', () => {
  it('is a labelled combobox that searches once the person stops typing', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const input = wrapper.get('input[role=combobox]');
    expect(wrapper.get(`label[for="${input.attributes('id')}"]`).text()).toBe('Find a QuickBooks Online record to link Acme Pty Ltd to');
    expect(input.attributes('aria-controls')).toBe(wrapper.get('[role=listbox]').attributes('id'));

    await type(wrapper, 'A', 'Ac', 'Acm', 'Acme');
    await vi.waitFor(() => expect(options(wrapper)).toHaveLength(4));

    expect(candidateRequests(fake)).toEqual(['GET /api/v1/connections/conn-1/contacts/k1/candidates?q=Acme']);
    expect(input.attributes('aria-expanded')).toBe('true');
  });

  it('shows candidates linked elsewhere or inactive as disabled, with the reason, and never links them', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    await type(wrapper, 'Acme');
    await vi.waitFor(() => expect(options(wrapper)).toHaveLength(4));

    const holdings = wrapper.get('[role=option][data-remote-id="59"]');
    const old = wrapper.get('[role=option][data-remote-id="60"]');
    expect(holdings.attributes('aria-disabled')).toBe('true');
    expect(holdings.text()).toContain('Already linked to Bob Builder');
    expect(old.attributes('aria-disabled')).toBe('true');
    expect(old.text()).toContain('Inactive in QuickBooks Online');
    expect(wrapper.get('[role=option][data-remote-id="58"]').attributes('aria-disabled')).toBeUndefined();

    await holdings.trigger('click');
    await flushPromises();
    expect(fake.state.requests.some((r) => r.startsWith('POST /api/v1/connections/conn-1/links'))).toBe(false);
  });

  it('moves with the arrow keys past disabled candidates and links the chosen one with Enter', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const input = wrapper.get('input[role=combobox]');
    await type(wrapper, 'Acme');
    await vi.waitFor(() => expect(options(wrapper)).toHaveLength(4));

    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(input.attributes('aria-activedescendant')).toBe(options(wrapper)[0]?.attributes('id'));
    await input.trigger('keydown', { key: 'ArrowDown' }); // skips 59 (linked elsewhere) and 60 (inactive)
    expect(input.attributes('aria-activedescendant')).toBe(wrapper.get('[data-remote-id="61"]').attributes('id'));
    expect(wrapper.get('[data-remote-id="61"]').attributes('aria-selected')).toBe('true');
    await input.trigger('keydown', { key: 'ArrowUp' });
    expect(input.attributes('aria-activedescendant')).toBe(wrapper.get('[data-remote-id="58"]').attributes('id'));

    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();

    expect(fake.state.contacts[0]?.links[0]).toMatchObject({ connectionId: 'conn-1', remoteId: '58', state: 'linked' });
    expect(wrapper.emitted('linked')).toHaveLength(1);
  });

  it('closes the list with Escape without linking anything', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const input = wrapper.get('input[role=combobox]');
    await type(wrapper, 'Acme');
    await vi.waitFor(() => expect(options(wrapper)).toHaveLength(4));
    await input.trigger('keydown', { key: 'ArrowDown' });

    await input.trigger('keydown', { key: 'Escape' });
    expect(input.attributes('aria-expanded')).toBe('false');
    expect(input.attributes('aria-activedescendant')).toBeUndefined();
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(fake.state.contacts[0]?.links).toEqual([]);
  });

  it('shows the API’s message when the link is refused (409)', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    await type(wrapper, 'Acme Pty');
    await vi.waitFor(() => expect(options(wrapper)).toHaveLength(1));
    // Meanwhile someone else links Bob to the same QuickBooks customer.
    fake.state.contacts[1]!.links = [{ ...bobLink, remoteId: '58', remoteName: 'Acme Pty Ltd' }];

    await options(wrapper)[0]!.trigger('click');
    await flushPromises();

    expect(wrapper.get('[role=alert]').text()).toBe('Acme Pty Ltd is already linked to Bob Builder; unlink that one first.');
    expect(wrapper.emitted('linked')).toBeUndefined();
  });
});
