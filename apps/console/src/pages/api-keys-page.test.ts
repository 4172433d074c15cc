import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKey, createFakeApi, demoSession } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import ApiKeysPage from './api-keys-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(ApiKeysPage, fake.api, { path: '/settings/api-keys' });
  await flushPromises();
  return wrapper;
}
const button = (wrapper: VueWrapper, text: string) => wrapper.findAll('button').find((b) => b.text() === text)!;

let clipboardText: string | null = null;
afterEach(() => {
  clipboardText = null;
});
Object.defineProperty(navigator, 'clipboard', {
  configurable: true,
  value: { writeText: (text: string) => { clipboardText = text; return Promise.resolve(); } },
});

describe('API keys page', () => {
  it('lists the keys by name, role and prefix, never a secret', async () => {
    const wrapper = await open(createFakeApi({ apiKeys: [apiKey('a1', 'Billing app'), apiKey('a2', 'Reports', { role: 'viewer', revokedAt: '2026-11-23T12:00:00.000Z' })] }));
    const billing = wrapper.get('tr[data-key-id="a1"]').text();
    expect(billing).toContain('Billing app');
    expect(billing).toContain('Admin');
    expect(billing).toContain('llk_a1…');
    expect(billing).toContain('Active');
    expect(wrapper.get('tr[data-key-id="a2"]').text()).toContain('Revoked');
    expect(wrapper.find('button[aria-label="Revoke Reports"]').exists()).toBe(false);
  });

  it('names the missing field before sending anything', async () => {
    const fake = createFakeApi();
    const wrapper = await open(fake);
    await button(wrapper, 'Create key').trigger('click');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('#key-name-error').text()).toContain('Name the app that will use the key');
    expect(wrapper.get('#key-name').attributes('aria-invalid')).toBe('true');
    expect(fake.state.requests.some((r) => r.startsWith('POST'))).toBe(false);
  });

  it('creates a key and shows its secret once, with a warning and a copy button', async () => {
    const fake = createFakeApi();
    const wrapper = await open(fake);
    await wrapper.get('#key-name').setValue('Billing app');
    await wrapper.get('#key-role').setValue('viewer');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(fake.state.apiKeys[0]).toMatchObject({ name: 'Billing app', role: 'viewer' });
    const secret = (wrapper.get('#new-key').element as HTMLInputElement).value;
    expect(secret).toMatch(/^llk_key-1_/);
    expect(wrapper.text()).toContain('it is shown only once');
    expect(wrapper.get('tr[data-key-id="key-1"]').text()).toContain('Viewer');

    await button(wrapper, 'Copy').trigger('click');
    await flushPromises();
    expect(clipboardText).toBe(secret);
    expect(wrapper.text()).toContain('Copied to the clipboard.');

    await button(wrapper, 'I have stored it safely').trigger('click');
    expect(wrapper.find('#new-key').exists()).toBe(false);
    expect(wrapper.text()).not.toContain(secret);
  });

  it('revokes a key only after confirming', async () => {
    const fake = createFakeApi({ apiKeys: [apiKey('a1', 'Billing app')] });
    const wrapper = await open(fake);
    await wrapper.get('button[aria-label="Revoke Billing app"]').trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.text()).toContain('Revoke “Billing app”?');

    await dialog.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await flushPromises();
    expect(fake.state.apiKeys[0]?.revokedAt).toBeNull();

    await wrapper.get('button[aria-label="Revoke Billing app"]').trigger('click');
    await flushPromises();
    await wrapper.get('[role=dialog]').findAll('button').find((b) => b.text() === 'Revoke key')!.trigger('click');
    await flushPromises();
    expect(fake.state.apiKeys[0]?.revokedAt).not.toBeNull();
    expect(wrapper.get('tr[data-key-id="a1"]').text()).toContain('Revoked');
    expect(wrapper.text()).toContain('Revoked “Billing app”: the API refuses it from now on.');
  });

  it('viewers, whom the API does not show keys, are told who can see them, with nothing to create or revoke', async () => {
    const fake = createFakeApi({ session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } }, apiKeys: [apiKey('a1', 'Billing app')] });
    const wrapper = await open(fake);
    expect(wrapper.get('[role=status]').text()).toContain('Only owners and admins can see the workspace\'s API keys.');
    expect(wrapper.find('[role=alert]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('Billing app');
    expect(wrapper.find('form').exists()).toBe(false);
    expect(wrapper.findAll('button')).toHaveLength(0);
  });
});
