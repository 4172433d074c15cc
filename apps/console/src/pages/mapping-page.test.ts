import type { MappingDetail } from '@ledgerlink/contract';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connection, contact, createFakeApi, demoSession } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import MappingPage from './mapping-page.vue';

const none = { kind: 'none' as const };
function customerMapping(): MappingDetail {
  return {
    connectionId: 'conn-1',
    entity: 'customer',
    isDefault: true,
    current: {
      version: 0, effectiveFrom: '2026-11-23T09:00:00.000Z', createdBy: null,
      rules: [
        { source: 'displayName', target: 'DisplayName', enabled: true, direction: 'out', transform: none },
        { source: 'email', target: 'PrimaryEmailAddr', enabled: true, direction: 'both', transform: none },
        { source: 'companyName', target: 'CompanyName', enabled: false, direction: 'out', transform: none },
      ],
    },
    catalog: [
      { id: 'DisplayName', label: 'Display name', type: 'string', maxLength: 500, required: true, writable: true, secure: false, canonical: 'displayName' },
      { id: 'PrimaryEmailAddr', label: 'Email', type: 'string', maxLength: 100, required: false, writable: true, secure: false, canonical: 'email' },
      { id: 'CompanyName', label: 'Company name', type: 'string', maxLength: 100, required: false, writable: true, secure: false, canonical: 'companyName' },
      { id: 'Notes', label: 'Notes', type: 'string', maxLength: 2000, required: false, writable: true, secure: false, canonical: null },
      { id: 'TaxId', label: 'Tax ID', type: 'string', maxLength: 20, required: false, writable: true, secure: true, canonical: null },
    ],
    defaults: [],
  };
}

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(MappingPage, fake.api, { path: '/mappings' });
  await flushPromises();
  return wrapper;
}
const rowOf = (wrapper: VueWrapper, source: string) => wrapper.get(`tr[data-source="${source}"]`);
const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text)!;

function setup(overrides: Parameters<typeof createFakeApi>[0] = {}) {
  return createFakeApi({
    connections: [connection()],
    contacts: [contact('k1', 'Acme Pty Ltd', { companyName: 'Acme Holdings Pty Ltd' }), contact('k2', 'Bluegum Bakery', { companyName: null })],
    mappings: new Map([['conn-1/customer', customerMapping()]]),
    ...overrides,
  });
}

describe('field mapping page', () => {
  it('shows one row per field with toggle, source, target from the catalog, direction and transform; required fields locked', async () => {
    const wrapper = await open(setup());
    expect(wrapper.text()).toContain("QuickBooks Online's default mapping (never changed).");
    const name = rowOf(wrapper, 'displayName');
    expect(name.text()).toContain('Required by QuickBooks Online');
    expect(name.get('input[type=checkbox]').attributes('disabled')).toBeDefined();
    expect(name.get('select[aria-label="QuickBooks Online field for displayName"]').attributes('disabled')).toBeDefined();

    const email = rowOf(wrapper, 'email');
    expect((email.get('input[type=checkbox]').element as HTMLInputElement).checked).toBe(true);
    const targets = email.findAll('select[aria-label="QuickBooks Online field for email"] option').map((o) => o.text());
    expect(targets).toEqual(['Display name', 'Email', 'Company name', 'Notes']);
    expect((email.get('select[aria-label="Direction for email"]').element as HTMLSelectElement).value).toBe('both');
    expect((email.get('select[aria-label="Transform for email"]').element as HTMLSelectElement).value).toBe('none');
    expect(button(wrapper, 'Save Changes').attributes('disabled')).toBeDefined();
  });

  it('previews the change on sample records before saving, then saves it as a new version', async () => {
    const fake = setup();
    const wrapper = await open(fake);
    await rowOf(wrapper, 'companyName').get('input[type=checkbox]').setValue(true);
    await rowOf(wrapper, 'email').get('select[aria-label="Transform for email"]').setValue('lower');

    await button(wrapper, 'Preview changes').trigger('click');
    await flushPromises();
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/mappings/customer/preview');
    expect(wrapper.get('#preview-title').text()).toBe('Preview on sample records');
    expect(wrapper.text()).toContain('Of 2 sample records, 1 would send something different');
    const acme = wrapper.findAll('.preview > li');
    expect(acme).toHaveLength(1);
    expect(acme[0]!.text()).toContain('Acme Pty Ltd');
    expect(acme[0]!.get('tbody tr').findAll('th, td').map((c) => c.text())).toEqual(['Company name', '—', 'Acme Holdings Pty Ltd']);
    expect(fake.state.mappings.get('conn-1/customer')?.current.version).toBe(0);

    await button(wrapper, 'Save Changes').trigger('click');
    await flushPromises();
    const saved = fake.state.mappings.get('conn-1/customer')!;
    expect(saved.current.version).toBe(1);
    expect(saved.current.rules.find((r) => r.source === 'companyName')?.enabled).toBe(true);
    expect(saved.current.rules.find((r) => r.source === 'email')?.transform).toEqual({ kind: 'lower' });
    expect(wrapper.get('[role=status]').text()).toContain('Saved as version 1: it applies from now on.');
    expect(wrapper.text()).toContain('Version 1, in force since');
    expect(button(wrapper, 'Save Changes').attributes('disabled')).toBeDefined();
  });

  it('says why a save was refused and keeps the edits', async () => {
    const fake = setup();
    const detail = customerMapping();
    // A mapping whose required field is mapped by a rule that is not locked (its target can change).
    detail.current.rules[0] = { source: 'displayName', target: 'Notes', enabled: true, direction: 'out', transform: none };
    fake.state.mappings.set('conn-1/customer', detail);
    const wrapper = await open(fake);
    await rowOf(wrapper, 'email').get('select[aria-label="Direction for email"]').setValue('out');
    await button(wrapper, 'Save Changes').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role=alert]').text()).toContain('The mapping was not saved: Display name is required by QuickBooks Online');
    expect((rowOf(wrapper, 'email').get('select[aria-label="Direction for email"]').element as HTMLSelectElement).value).toBe('out');
  });

  it('with no connection, says to connect one first', async () => {
    const wrapper = await open(createFakeApi());
    expect(wrapper.text()).toContain('There is nothing to map to yet.');
  });

  it('viewers see the mapping with every control disabled and no Preview or Save', async () => {
    const wrapper = await open(setup({ session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } } }));
    expect(wrapper.text()).toContain('Only owners and admins can change it.');
    expect(wrapper.findAll('button')).toHaveLength(0);
    expect(wrapper.findAll('table.rules select, table.rules input').every((el) => el.attributes('disabled') !== undefined)).toBe(true);
  });
});
