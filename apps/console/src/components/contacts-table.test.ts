import type { ContactView } from '@ledgerlink/contract';
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { contact } from '../test/fake-api.js';
import ContactsTable from './contacts-table.vue';

const link = (overrides: Partial<ContactView['links'][number]> = {}): ContactView['links'][number] => ({
  connectionId: 'conn-1',
  connectorId: 'quickbooks-online',
  remoteId: '58',
  remoteName: 'Amy’s Bird Sanctuary',
  state: 'linked',
  reason: null,
  deepLink: 'https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=58',
  linkedAt: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

const rows: ContactView[] = [
  contact('k1', 'Amy Adams', { links: [link()] }),
  contact('k2', 'Bill Brown'),
  contact('k3', 'Cara Cole', { links: [link({ state: 'invalid', reason: 'Merged into “Cara Cole Inc.” in QuickBooks Online.' })] }),
  contact('k4', 'Dan Doe', { links: [link({ connectionId: 'conn-2', remoteName: 'Dan in Xero' })] }),
  contact('k5', 'Eve Eng', { companyName: null, email: null }),
];

function render(props: Partial<InstanceType<typeof ContactsTable>['$props']> = {}) {
  return mount(ContactsTable, {
    props: {
      contacts: rows,
      connectionId: 'conn-1',
      noun: 'customers',
      selectedIds: new Set<string>(),
      uploadingIds: new Set<string>(),
      failures: new Map<string, string>(),
      selectable: true,
      ...props,
    },
    global: { plugins: [createRouter({ history: createMemoryHistory(), routes: [{ path: '/:path(.*)*', component: { render: () => null } }] })] },
  });
}

function linkedCell(wrapper: ReturnType<typeof render>, id: string) {
  return wrapper.get(`tr[data-contact-id="${id}"] .contacts__linked`);
}

describe('contacts table, Linked Contact column', () => {
  it('links a linked contact to its record at the provider, in a new tab', () => {
    const anchor = linkedCell(render(), 'k1').get('a');
    expect(anchor.text()).toContain('Amy’s Bird Sanctuary');
    expect(anchor.attributes('href')).toBe('https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=58');
    expect(anchor.attributes('target')).toBe('_blank');
    expect(anchor.attributes('rel')).toContain('noopener');
  });

  it('says "No linked contact" when unlinked, or linked only through another connection', () => {
    const wrapper = render();
    expect(linkedCell(wrapper, 'k2').text()).toBe('No linked contact');
    expect(linkedCell(wrapper, 'k4').text()).toBe('No linked contact');
  });

  it('shows the reason when the link is no longer valid', () => {
    expect(linkedCell(render(), 'k3').text()).toBe('Merged into “Cara Cole Inc.” in QuickBooks Online.');
  });

  it('says "Uploading…" for contacts in a running upload', () => {
    const wrapper = render({ uploadingIds: new Set(['k2']) });
    expect(linkedCell(wrapper, 'k2').text()).toBe('Uploading…');
    expect(linkedCell(wrapper, 'k1').find('a').exists()).toBe(true);
  });

  it('shows why an upload of a contact failed', () => {
    const wrapper = render({ failures: new Map([['k2', 'Another customer already uses this name.']]) });
    expect(linkedCell(wrapper, 'k2').text()).toContain('No linked contact');
    expect(linkedCell(wrapper, 'k2').text()).toContain('Upload failed: Another customer already uses this name.');
  });

  it('shows a dash for a missing company or email', () => {
    const cells = render().get('tr[data-contact-id="k5"]').findAll('td');
    expect(cells[1]?.text()).toBe('—');
    expect(cells[2]?.text()).toBe('—');
  });
});

describe('contacts table, selection', () => {
  it('names each checkbox after its row and reports ticks', async () => {
    const wrapper = render();

    await wrapper.get('input[aria-label="Select Bill Brown"]').setValue(true);

    expect(wrapper.emitted('toggle')).toEqual([['k2']]);
  });

  it('ticks the boxes of the selected rows', () => {
    const wrapper = render({ selectedIds: new Set(['k1', 'k3']) });
    const ticked = wrapper.findAll('tbody input[type=checkbox]').filter((box) => (box.element as HTMLInputElement).checked);
    expect(ticked.map((box) => box.attributes('aria-label'))).toEqual(['Select Amy Adams', 'Select Cara Cole']);
  });

  it('shows select-all as partly ticked for some rows and ticked for all', () => {
    const some = render({ selectedIds: new Set(['k1']) }).get<HTMLInputElement>('input[aria-label="Select all customers on this page"]');
    expect(some.element.indeterminate).toBe(true);
    expect(some.element.checked).toBe(false);

    const all = render({ selectedIds: new Set(rows.map((r) => r.id)) }).get<HTMLInputElement>('input[aria-label="Select all customers on this page"]');
    expect(all.element.checked).toBe(true);
    expect(all.element.indeterminate).toBe(false);
  });

  it('asks for select-all from the header checkbox', async () => {
    const wrapper = render();
    await wrapper.get('input[aria-label="Select all customers on this page"]').setValue(true);
    expect(wrapper.emitted('toggleAll')).toHaveLength(1);
  });

  it('offers no checkboxes when there is nothing to upload to', () => {
    expect(render({ selectable: false, connectionId: null }).findAll('input[type=checkbox]')).toHaveLength(0);
  });
});
