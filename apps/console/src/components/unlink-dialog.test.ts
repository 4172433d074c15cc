import type { ContactLinkView } from '@ledgerlink/contract';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import ContactsPage from '../pages/contacts-page.vue';
import { connection, contact, createFakeApi, demoSession } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';

const link = (remoteId: string, remoteName: string): ContactLinkView => ({
  connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId, remoteName, state: 'linked', reason: null,
  deepLink: `https://sandbox.example/app/customerdetail?nameId=${remoteId}`, linkedAt: '2026-11-23T10:00:00.000Z',
});

function setup(overrides: Parameters<typeof createFakeApi>[0] = {}) {
  return createFakeApi({
    connections: [connection()],
    contacts: [
      contact('k1', 'Amy Adams', { links: [link('58', 'Amy’s Bird Sanctuary')] }),
      contact('k2', 'Bill Brown'),
      contact('k3', 'Cara Cole', { links: [link('59', 'Cara Cole Inc.')] }),
    ],
    ...overrides,
  });
}

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(ContactsPage, fake.api, { path: '/customers', props: { kind: 'customer', pollIntervalMs: 1, debounceMs: 1 } });
  await flushPromises();
  return wrapper;
}
const unlinkButton = (wrapper: VueWrapper) => wrapper.findAll('button').find((b) => b.text().startsWith('Unlink'))!;
const linkedText = (wrapper: VueWrapper, id: string) => wrapper.get(`tr[data-contact-id="${id}"] .contacts__linked`).text();

async function selectAllAndOpenDialog(wrapper: VueWrapper) {
  await wrapper.get('input[aria-label="Select all customers on this page"]').setValue(true);
  const button = unlinkButton(wrapper);
  (button.element as HTMLButtonElement).focus();
  await button.trigger('click');
  await flushPromises();
  return wrapper.get('[role=dialog]');
}

describe('unlink dialog', () => {
  it('counts only the selected contacts that are linked, and names the connection', async () => {
    const wrapper = await open(setup());
    expect(unlinkButton(wrapper).attributes('disabled')).toBeDefined();

    const dialog = await selectAllAndOpenDialog(wrapper);
    expect(unlinkButton(wrapper).text()).toBe('Unlink 2 selected');
    expect(dialog.attributes('aria-modal')).toBe('true');
    const title = wrapper.get(`#${dialog.attributes('aria-labelledby')}`);
    expect(title.text()).toBe('Unlink 2 customers from Sandbox Company US (QuickBooks Online)?');
  });

  it('takes focus, keeps Tab inside, and Escape cancels and gives focus back', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const dialog = await selectAllAndOpenDialog(wrapper);
    const buttons = dialog.findAll('button');
    const cancel = buttons.find((b) => b.text() === 'Cancel')!;
    const confirm = buttons.find((b) => b.text() === 'Unlink 2 customers')!;
    expect(document.activeElement).toBe(cancel.element);

    (confirm.element as HTMLElement).focus();
    await dialog.trigger('keydown', { key: 'Tab' });
    expect(document.activeElement).toBe(dialog.get('textarea').element);
    await dialog.trigger('keydown', { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm.element);

    await dialog.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[role=dialog]').exists()).toBe(false);
    expect(document.activeElement).toBe(unlinkButton(wrapper).element);
    expect(fake.state.requests.some((r) => r.startsWith('DELETE'))).toBe(false);
    expect(linkedText(wrapper, 'k1')).toContain('Amy’s Bird Sanctuary');
  });

  it('Cancel closes it without unlinking anything', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const dialog = await selectAllAndOpenDialog(wrapper);
    await dialog.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await flushPromises();
    expect(wrapper.find('[role=dialog]').exists()).toBe(false);
    expect(fake.state.requests.some((r) => r.startsWith('DELETE'))).toBe(false);
  });

  it('confirming unlinks each contact with the reason, then shows them unlinked', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    const dialog = await selectAllAndOpenDialog(wrapper);
    await dialog.get('textarea').setValue('Linked to the wrong customers');
    await dialog.findAll('button').find((b) => b.text() === 'Unlink 2 customers')!.trigger('click');
    await vi.waitFor(() => expect(wrapper.text()).toContain('Unlinked 2 customers from Sandbox Company US.'));

    expect(fake.state.requests.filter((r) => r.startsWith('DELETE'))).toEqual([
      'DELETE /api/v1/connections/conn-1/links/k1?reason=Linked+to+the+wrong+customers',
      'DELETE /api/v1/connections/conn-1/links/k3?reason=Linked+to+the+wrong+customers',
    ]);
    expect(linkedText(wrapper, 'k1')).toBe('No linked contact');
    expect(linkedText(wrapper, 'k3')).toBe('No linked contact');
    expect(fake.state.linkEvents.map((e) => [e.contactId, e.type, e.reason])).toEqual([
      ['k1', 'unlinked', 'Linked to the wrong customers'],
      ['k3', 'unlinked', 'Linked to the wrong customers'],
    ]);
  });

  it('shows a per-row error for a contact that could not be unlinked and unlinks the rest', async () => {
    const fake = setup({ unlinkFailures: new Map([['k3', 'Cara Cole is being uploaded; try again when it has finished.']]) });
    const wrapper = await open(fake);
    const dialog = await selectAllAndOpenDialog(wrapper);
    await dialog.findAll('button').find((b) => b.text() === 'Unlink 2 customers')!.trigger('click');
    await vi.waitFor(() => expect(wrapper.text()).toContain('1 of 2 customers unlinked; 1 could not be'));

    expect(linkedText(wrapper, 'k1')).toBe('No linked contact');
    expect(linkedText(wrapper, 'k3')).toContain('Cara Cole Inc.');
    expect(linkedText(wrapper, 'k3')).toContain('Unlink failed: Cara Cole is being uploaded; try again when it has finished.');
    expect((wrapper.get('input[aria-label="Select Cara Cole"]').element as HTMLInputElement).checked).toBe(true);
  });

  it('viewers see the links but no Upload, Unlink, selection or Search', async () => {
    const fake = setup({ session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } } });
    const wrapper = await open(fake);
    expect(linkedText(wrapper, 'k1')).toContain('Amy’s Bird Sanctuary');
    expect(wrapper.findAll('button').filter((b) => /^(Upload|Unlink)/.test(b.text()))).toHaveLength(0);
    expect(wrapper.find('input[type=checkbox]').exists()).toBe(false);
    expect(wrapper.find('[role=combobox]').exists()).toBe(false);
    expect(wrapper.text()).toContain('only owners and admins can change them');
  });

  it('links an unlinked row from its Search column and shows the new link', async () => {
    const fake = setup({ remotes: [{ remoteId: '70', name: 'Bill Brown & Sons', email: null, status: 'active' }] });
    const wrapper = await open(fake);
    const row = wrapper.get('tr[data-contact-id="k2"]');
    expect(wrapper.find('tr[data-contact-id="k1"] [role=combobox]').exists()).toBe(false);
    const input = row.get('input[role=combobox]');
    (input.element as HTMLInputElement).value = 'Bill';
    await input.trigger('input');
    await vi.waitFor(() => expect(row.findAll('[role=option]')).toHaveLength(1));
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'Enter' });
    await vi.waitFor(() => expect(linkedText(wrapper, 'k2')).toContain('Bill Brown & Sons'));
    expect(wrapper.text()).toContain('Linked Bill Brown to “Bill Brown & Sons” in Sandbox Company US.');
    expect(wrapper.find('tr[data-contact-id="k2"] [role=combobox]').exists()).toBe(false);
  });
});
