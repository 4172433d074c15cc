import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { connection, contact, createFakeApi } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import ContactsPage from './contacts-page.vue';

const customers = () => [contact('k1', 'Amy Adams'), contact('k2', 'Bill Brown'), contact('k3', 'Cara Cole')];

async function open(fake: ReturnType<typeof createFakeApi>, props: Record<string, unknown> = {}) {
  const { wrapper } = await mountWithApp(ContactsPage, fake.api, { path: '/customers', props: { kind: 'customer', pollIntervalMs: 1, ...props } });
  await flushPromises();
  return wrapper;
}

const linkedText = (wrapper: Awaited<ReturnType<typeof open>>, id: string) => wrapper.get(`tr[data-contact-id="${id}"] .contacts__linked`).text();
const uploadButton = (wrapper: Awaited<ReturnType<typeof open>>) => wrapper.findAll('button').find((b) => b.text().startsWith('Upload'))!;

describe('customers page', () => {
  it('uploads the selected customers, shows progress, then shows their linked QuickBooks customers', async () => {
    const fake = createFakeApi({ connections: [connection()], contacts: customers(), autoAdvance: false });
    const wrapper = await open(fake);
    expect(linkedText(wrapper, 'k1')).toBe('No linked contact');

    await wrapper.get('input[aria-label="Select Amy Adams"]').setValue(true);
    await wrapper.get('input[aria-label="Select Cara Cole"]').setValue(true);
    expect(uploadButton(wrapper).text()).toBe('Upload 2 selected');
    await uploadButton(wrapper).trigger('click');
    await flushPromises();

    expect(fake.state.uploads[0]?.contactIds).toEqual(['k1', 'k3']);
    expect(wrapper.get('[role=status].progress').text()).toContain('Upload queued');
    expect(linkedText(wrapper, 'k1')).toBe('Uploading…');
    expect(linkedText(wrapper, 'k3')).toBe('Uploading…');
    expect(linkedText(wrapper, 'k2')).toBe('No linked contact');
    expect(uploadButton(wrapper).attributes('disabled')).toBeDefined();

    fake.advanceUploads(); // running
    await vi.waitFor(() => expect(wrapper.get('.progress').text()).toContain('Uploading 1 of 2…'));
    fake.advanceUploads(); // first done
    await vi.waitFor(() => expect(wrapper.get('.progress').text()).toContain('Uploading 2 of 2…'));
    fake.advanceUploads(); // second done, completed
    await vi.waitFor(() => expect(wrapper.find('.progress').exists()).toBe(false));

    expect(wrapper.get('tr[data-contact-id="k1"] .contacts__linked a').text()).toContain('Amy Adams');
    expect(wrapper.get('tr[data-contact-id="k3"] .contacts__linked a').attributes('href')).toContain('nameId=');
    expect(linkedText(wrapper, 'k2')).toBe('No linked contact');
    expect(wrapper.text()).toContain('Uploaded 2 customers to Sandbox Company US');
    expect(uploadButton(wrapper).text()).toBe('Upload');
  });

  it('shows per-customer failures and keeps the failed ones selected for another try', async () => {
    const fake = createFakeApi({
      connections: [connection()],
      contacts: customers(),
      uploadFailures: new Map([['k2', 'Another customer in QuickBooks already has this name.']]),
    });
    const wrapper = await open(fake);

    await wrapper.get('input[aria-label="Select all customers on this page"]').setValue(true);
    await uploadButton(wrapper).trigger('click');
    await vi.waitFor(() => expect(wrapper.find('.progress').exists()).toBe(false));

    expect(linkedText(wrapper, 'k2')).toContain('Upload failed: Another customer in QuickBooks already has this name.');
    expect(wrapper.get('tr[data-contact-id="k1"] a').text()).toContain('Amy Adams');
    expect(wrapper.text()).toContain('2 of 3 customers uploaded. 1 could not be');
    expect(uploadButton(wrapper).text()).toBe('Upload 1 selected');
    expect((wrapper.get('input[aria-label="Select Bill Brown"]').element as HTMLInputElement).checked).toBe(true);
  });

  it('lets the person choose the connection when there are several, and shows that connection’s links', async () => {
    const xeroLink = {
      connectionId: 'conn-2', connectorId: 'xero', remoteId: 'x1', remoteName: 'Amy in Xero', state: 'linked' as const,
      reason: null, deepLink: 'https://go.xero.com/x1', linkedAt: '2026-11-23T10:00:00.000Z',
    };
    const fake = createFakeApi({
      connections: [connection(), connection({ id: 'conn-2', connectorId: 'xero', displayName: 'Xero', tenantName: 'Demo Company (UK)' })],
      contacts: [contact('k1', 'Amy Adams', { links: [xeroLink] })],
    });
    const wrapper = await open(fake);
    expect(linkedText(wrapper, 'k1')).toBe('No linked contact');

    await wrapper.get('select#connection-select').setValue('conn-2');

    expect(linkedText(wrapper, 'k1')).toContain('Amy in Xero');
  });

  it('says to connect an accounting system first when there is no connection', async () => {
    const fake = createFakeApi({ connections: [connection({ status: 'pending', tenantName: null })], contacts: customers() });
    const wrapper = await open(fake);

    expect(wrapper.text()).toContain('Nothing to upload to yet.');
    expect(wrapper.find('a[href="/integrations"]').exists()).toBe(true);
    expect(wrapper.findAll('input[type=checkbox]')).toHaveLength(0);
    expect(uploadButton(wrapper).attributes('disabled')).toBeDefined();
  });

  it('explains where customers come from when there are none', async () => {
    const fake = createFakeApi({ connections: [connection()], contacts: [] });
    const wrapper = await open(fake);
    expect(wrapper.text()).toContain('No customers yet');
    expect(wrapper.text()).toContain('PUT /api/v1/contacts/:externalId');
  });

  it('pages through the server’s results', async () => {
    const many = Array.from({ length: 30 }, (_, i) => contact(`k${i + 1}`, `Customer ${String(i + 1).padStart(2, '0')}`));
    const fake = createFakeApi({ connections: [connection()], contacts: many });
    const wrapper = await open(fake, { pageSize: 20 });
    expect(wrapper.text()).toContain('1–20 of 30 customers');

    await wrapper.findAll('button').find((b) => b.text() === 'Next')!.trigger('click');
    await flushPromises();

    expect(fake.state.requests).toContain('GET /api/v1/contacts?kind=customer&page=2&pageSize=20');
    expect(wrapper.findAll('tbody tr')).toHaveLength(10);
    expect(wrapper.text()).toContain('21–30 of 30 customers');
  });

  it('shows suppliers on the suppliers page', async () => {
    const fake = createFakeApi({ connections: [connection()], contacts: [contact('s1', 'Paper Mill', { kind: 'supplier' }), ...customers()] });
    const { wrapper } = await mountWithApp(ContactsPage, fake.api, { path: '/suppliers', props: { kind: 'supplier' } });
    await flushPromises();

    expect(wrapper.get('h1').text()).toBe('Suppliers');
    expect(wrapper.findAll('tbody tr').map((r) => r.get('th').text())).toEqual(['Paper Mill']);
  });

  it('filters by link state on the chosen connection, through the server', async () => {
    const link = (state: 'linked' | 'invalid') => ({ connectionId: 'conn-1', connectorId: 'quickbooks-online', remoteId: '58', remoteName: 'Remote', state, reason: state === 'invalid' ? 'merged' : null, deepLink: null, linkedAt: '2026-11-23T10:00:00.000Z' });
    const fake = createFakeApi({
      connections: [connection()],
      contacts: [contact('k1', 'Amy Adams', { links: [link('linked')] }), contact('k2', 'Bill Brown', { links: [link('invalid')] }), contact('k3', 'Cara Cole')],
    });
    const wrapper = await open(fake);
    await wrapper.get('select#link-filter').setValue('invalid');
    await flushPromises();
    expect(fake.state.requests).toContain('GET /api/v1/contacts?kind=customer&page=1&pageSize=50&link=invalid&connectionId=conn-1');
    expect(wrapper.findAll('tbody tr').map((r) => r.attributes('data-contact-id'))).toEqual(['k2']);

    await wrapper.get('select#link-filter').setValue('unlinked');
    await flushPromises();
    expect(wrapper.findAll('tbody tr').map((r) => r.attributes('data-contact-id'))).toEqual(['k3']);

    await wrapper.get('select#link-filter').setValue('suggested');
    await flushPromises();
    expect(wrapper.text()).toContain('No customers with this link state');
  });
});
