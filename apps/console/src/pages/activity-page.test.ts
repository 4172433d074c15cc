import type { ActivityEntry } from '@ledgerlink/contract';
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import ActivityPage from './activity-page.vue';

const entry = (id: string, at: string, action: string, overrides: Partial<ActivityEntry> = {}): ActivityEntry => ({
  id, at, actorType: 'user', actorId: 'u1', action, entityType: 'connection', entityId: 'conn-1', details: {}, ...overrides,
});
const log = [
  entry('a3', '2026-11-23T12:00:00.000Z', 'mapping.saved', { details: { entity: 'customer', version: 2 } }),
  entry('a2', '2026-11-22T09:00:00.000Z', 'link.created', { entityType: 'contact', entityId: 'k1', actorType: 'host', actorId: 'key-1' }),
  entry('a1', '2026-11-20T08:00:00.000Z', 'connection.connected'),
];

async function open(fake: ReturnType<typeof createFakeApi>) {
  const { wrapper } = await mountWithApp(ActivityPage, fake.api, { path: '/activity' });
  await flushPromises();
  return wrapper;
}
const actions = (wrapper: Awaited<ReturnType<typeof open>>) => wrapper.findAll('tbody th').map((th) => th.text());

describe('activity page', () => {
  it('lists the audit log newest first with who, what, which entity and details', async () => {
    const wrapper = await open(createFakeApi({ activity: log }));
    expect(actions(wrapper)).toEqual(['mapping.saved', 'link.created', 'connection.connected']);
    const first = wrapper.get('tbody tr');
    expect(first.text()).toContain('23 Nov 2026, 12:00 UTC');
    expect(first.text()).toContain('entity: customer · version: 2');
    expect(wrapper.findAll('tbody tr')[1]!.findAll('td')[1]!.text()).toMatch(/^host\s*key-1$/);
  });

  it('filters by action, entity and days (the "to" day included), and clears', async () => {
    const fake = createFakeApi({ activity: log });
    const wrapper = await open(fake);
    await wrapper.get('#f-entity').setValue('contact');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(actions(wrapper)).toEqual(['link.created']);
    expect(fake.state.requests).toContain('GET /api/v1/activity?limit=50&entityType=contact');

    await wrapper.get('#f-entity').setValue('');
    await wrapper.get('#f-from').setValue('2026-11-20');
    await wrapper.get('#f-to').setValue('2026-11-22');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(actions(wrapper)).toEqual(['link.created', 'connection.connected']);

    await wrapper.get('#f-action').setValue('nothing.like.this');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('Nothing matches these filters');
    await wrapper.findAll('button').find((b) => b.text() === 'Clear filters')!.trigger('click');
    await flushPromises();
    expect(actions(wrapper)).toHaveLength(3);
  });

  it('names a "to" day before the "from" day instead of asking', async () => {
    const fake = createFakeApi({ activity: log });
    const wrapper = await open(fake);
    const before = fake.state.requests.length;
    await wrapper.get('#f-from').setValue('2026-11-22');
    await wrapper.get('#f-to').setValue('2026-11-20');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.get('#f-to-error').text()).toBe('“To” is before “From”: pick a later day.');
    expect(fake.state.requests.length).toBe(before);
  });

  it('says what appears here when nothing is recorded yet', async () => {
    const wrapper = await open(createFakeApi());
    expect(wrapper.text()).toContain('Nothing recorded yet');
  });
});
