import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import App from './app.vue';
import { createFakeApi } from './test/fake-api.js';
import { mountWithApp } from './test/mount-with-app.js';

describe('console shell', () => {
  it('sends a visitor without a session to sign in, remembering where they were going', async () => {
    const fake = createFakeApi({ session: null });
    const { router, wrapper } = await mountWithApp(App, fake.api, { path: '/customers' });
    await flushPromises();

    expect(router.currentRoute.value.path).toBe('/sign-in');
    expect(router.currentRoute.value.query.redirect).toBe('/customers');
    expect(wrapper.find('nav[aria-label=Main]').exists()).toBe(false);
  });

  it('shows the navigation and signs out from the user menu', async () => {
    const fake = createFakeApi();
    const { router, wrapper } = await mountWithApp(App, fake.api, { path: '/integrations' });
    await flushPromises();
    expect(wrapper.get('nav[aria-label=Main]').text()).toContain('Customers');

    const trigger = wrapper.get('button[aria-haspopup=menu]');
    expect(trigger.text()).toContain('Avery Admin');
    await trigger.trigger('click');
    expect(trigger.attributes('aria-expanded')).toBe('true');
    await wrapper.get('[role=menuitem]').trigger('click');
    await flushPromises();

    expect(fake.state.requests).toContain('POST /api/v1/auth/logout');
    expect(router.currentRoute.value.path).toBe('/sign-in');
    expect(wrapper.find('nav[aria-label=Main]').exists()).toBe(false);
  });

  it('closes the user menu with Escape', async () => {
    const { wrapper } = await mountWithApp(App, createFakeApi().api, { path: '/integrations' });
    await flushPromises();
    const trigger = wrapper.get('button[aria-haspopup=menu]');

    await trigger.trigger('click');
    await wrapper.get('[role=menu]').trigger('keydown', { key: 'Escape' });

    expect(trigger.attributes('aria-expanded')).toBe('false');
  });

  it('goes to sign in when the session ends while the console is open', async () => {
    const fake = createFakeApi();
    const { router } = await mountWithApp(App, fake.api, { path: '/customers' });
    await flushPromises();

    fake.state.session = null; // e.g. expired on the server
    await router.push('/suppliers');
    await flushPromises();

    expect(router.currentRoute.value.path).toBe('/sign-in');
  });

  it('switches workspace from the user menu: the header, the role and the data follow', async () => {
    const fake = createFakeApi({ workspaces: [{ id: 'w1', name: 'Demo Workspace', role: 'owner' }, { id: 'w2', name: 'Harbour Goods', role: 'viewer' }] });
    const { router, wrapper } = await mountWithApp(App, fake.api, { path: '/customers' });
    await flushPromises();
    expect(wrapper.get('.app-header__workspace').text()).toBe('Demo Workspace');

    await wrapper.get('button[aria-haspopup=menu]').trigger('click');
    await flushPromises();
    const options = wrapper.findAll('[role=menuitemradio]');
    expect(options.map((o) => [o.text(), o.attributes('aria-checked')])).toEqual([
      ['✓ Demo Workspace · owner', 'true'],
      ['Harbour Goods · viewer', 'false'],
    ]);
    await wrapper.get('[data-workspace-id="w2"]').trigger('click');
    await flushPromises();

    expect(fake.state.requests).toContain('POST /api/v1/auth/workspace');
    expect(router.currentRoute.value.path).toBe('/integrations');
    expect(wrapper.get('.app-header__workspace').text()).toBe('Harbour Goods');
    // A viewer there: the page came back without the buttons that change things.
    expect(wrapper.findAll('button').filter((b) => /^Connect/.test(b.text()))).toHaveLength(0);
  });
});

