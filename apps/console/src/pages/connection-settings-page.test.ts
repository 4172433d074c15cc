import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { connection, createFakeApi, demoSession } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import ConnectionSettingsPage from './connection-settings-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(ConnectionSettingsPage, fake.api, { path: '/connections/conn-1/settings', props: { id: 'conn-1' } });
  await flushPromises();
  return wrapper;
}

describe('connection settings page', () => {
  it('shows the stored settings, names the field the API refuses, and saves once fixed', async () => {
    const fake = createFakeApi({ connections: [connection()] });
    const wrapper = await open(fake);
    expect(wrapper.get('h1').text()).toContain('settings');
    expect((wrapper.get('select#schedule-type').element as HTMLSelectElement).value).toBe('off');

    await wrapper.get('select#schedule-type').setValue('cron');
    await wrapper.get('input#schedule-expression').setValue('every night');
    await wrapper.get('select#conflict-policy').setValue('newest_wins');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('#schedule-expression-error').text()).toContain('cron expression of 5 or 6 fields');
    expect(wrapper.get('input#schedule-expression').attributes('aria-invalid')).toBe('true');
    expect(fake.state.settings['conn-1']).toBeUndefined();

    await wrapper.get('input#schedule-expression').setValue('0 2 * * *');
    await wrapper.get('input#item-code').setValue('SERVICES');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role=status]').text()).toBe('Saved.');
    expect(fake.state.settings['conn-1']).toEqual({
      schedule: { type: 'cron', expression: '0 2 * * *' },
      displayNameCollision: 'link_if_same_person',
      documentDefaults: { itemCode: 'SERVICES', accountCode: null },
      conflictPolicy: 'newest_wins',
    });

    const again = await open(fake);
    expect((again.get('input#schedule-expression').element as HTMLInputElement).value).toBe('0 2 * * *');
    expect((again.get('input#item-code').element as HTMLInputElement).value).toBe('SERVICES');
  });

  it('lets a viewer read the settings without any way to change them', async () => {
    const fake = createFakeApi({ connections: [connection()], session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } } });
    const wrapper = await open(fake);
    expect(wrapper.text()).toContain('only owners and admins can change them');
    expect(wrapper.get('fieldset').attributes('disabled')).toBeDefined();
    expect(wrapper.findAll('button[type=submit]')).toHaveLength(0);
  });
});
