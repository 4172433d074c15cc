import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import SignInPage from './sign-in-page.vue';

async function open(path = '/sign-in') {
  const fake = createFakeApi({ session: null });
  const mounted = await mountWithApp(SignInPage, fake.api, { path });
  return { ...mounted, fake };
}

describe('sign-in page', () => {
  it('labels its fields', async () => {
    const { wrapper } = await open();
    expect(wrapper.get('label[for=sign-in-email]').text()).toBe('Email');
    expect(wrapper.get('label[for=sign-in-password]').text()).toBe('Password');
  });

  it('shows the API’s message when the password is wrong', async () => {
    const { wrapper } = await open();

    await wrapper.get('#sign-in-email').setValue('admin@ledgerlink.local');
    await wrapper.get('#sign-in-password').setValue('wrong');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.get('[role=alert]').text()).toBe('That email and password do not match an account.');
  });

  it('names an empty field instead of asking the API', async () => {
    const { wrapper, fake } = await open();

    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.get('#sign-in-email-error').text()).toBe('Enter your email address.');
    expect(wrapper.get('#sign-in-password-error').text()).toBe('Enter your password.');
    expect(wrapper.get('#sign-in-email').attributes('aria-invalid')).toBe('true');
    expect(fake.state.requests.filter((r) => r.includes('/auth/login'))).toHaveLength(0);
  });

  it('signs in and goes back to the page that asked for it', async () => {
    const { wrapper, router, session } = await open('/sign-in?redirect=/customers');

    await wrapper.get('#sign-in-email').setValue('admin@ledgerlink.local');
    await wrapper.get('#sign-in-password').setValue('correct horse');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(session.state.session?.user.email).toBe('admin@ledgerlink.local');
    expect(router.currentRoute.value.path).toBe('/customers');
  });

  it('never follows a redirect to another site', async () => {
    const { wrapper, router } = await open('/sign-in?redirect=//evil.example/x');

    await wrapper.get('#sign-in-email').setValue('admin@ledgerlink.local');
    await wrapper.get('#sign-in-password').setValue('correct horse');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(router.currentRoute.value.path).toBe('/integrations');
  });
});
