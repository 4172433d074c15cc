import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { connection, createFakeApi, demoSession, qboConnector } from '../test/fake-api.js';
import { mountWithApp } from '../test/mount-with-app.js';
import IntegrationsPage from './integrations-page.vue';

async function open(fake: ReturnType<typeof createFakeApi>, path = '/integrations') {
  const navigated: string[] = [];
  const { wrapper, router } = await mountWithApp(IntegrationsPage, fake.api, { path, props: { navigate: (url: string) => navigated.push(url) } });
  await flushPromises();
  return { wrapper, router, navigated };
}

describe('integrations page', () => {
  it('shows each installed connector as a card with a Connect button', async () => {
    const { wrapper } = await open(createFakeApi());
    const card = wrapper.get('article[aria-labelledby="connector-quickbooks-online"]');
    expect(card.text()).toContain('QuickBooks Online');
    expect(card.text()).toContain(qboConnector.description);
    expect(card.get('button').attributes('aria-label')).toBe('Connect QuickBooks Online');
  });

  it('Connect creates a connection and sends the browser to the consent page', async () => {
    const fake = createFakeApi();
    const { wrapper, navigated } = await open(fake);

    await wrapper.get('button[aria-label="Connect QuickBooks Online"]').trigger('click');
    await flushPromises();

    expect(fake.state.requests).toContain('POST /api/v1/connections');
    expect(navigated).toEqual(['http://sandbox.test/oauth/authorize?state=conn-1']);
  });

  it('cannot connect a connector the server has no credentials for, and says why', async () => {
    const { wrapper } = await open(createFakeApi({ connectors: [{ ...qboConnector, configured: false }] }));
    expect(wrapper.get('button[aria-label="Connect QuickBooks Online"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Not configured on this server');
  });

  it('welcomes the person back from consent with the company that was connected', async () => {
    const fake = createFakeApi({ connections: [connection({ id: 'conn-7' })] });
    const { wrapper, router } = await open(fake, '/integrations?connected=conn-7');

    expect(wrapper.get('[role=status]').text()).toContain('QuickBooks Online is connected to Sandbox Company US.');
    expect(router.currentRoute.value.fullPath).toBe('/integrations');
  });

  it('shows the error the consent round trip came back with', async () => {
    const { wrapper } = await open(createFakeApi(), '/integrations?error=The%20company%20was%20not%20chosen.');
    expect(wrapper.get('[role=alert]').text()).toContain('Connecting failed: The company was not chosen.');
  });

  it('lists connections with their status, and offers to reconnect one that needs it', async () => {
    const fake = createFakeApi({
      connections: [
        connection(),
        connection({ id: 'conn-2', status: 'pending', tenantName: null }),
        connection({ id: 'conn-3', status: 'needs_reauth', tenantName: 'Old Company', statusReason: 'QuickBooks Online revoked access on 2026-11-20.' }),
      ],
    });
    const { wrapper, navigated } = await open(fake);

    const row = (id: string) => wrapper.get(`li[data-connection-id="${id}"]`);
    expect(row('conn-1').text()).toContain('Connected to Sandbox Company US');
    expect(row('conn-2').text()).toContain('Waiting for consent at QuickBooks Online');
    expect(row('conn-2').text()).toContain('Pending');
    expect(row('conn-3').text()).toContain('Needs re-authorisation');
    expect(row('conn-3').text()).toContain('QuickBooks Online revoked access on 2026-11-20.');

    await row('conn-3').get('button').trigger('click');
    await flushPromises();
    // Reconnects that connection in place (its links stay), rather than making a new one.
    expect(navigated).toEqual(['http://sandbox.test/oauth/authorize?state=conn-3']);
    expect(fake.state.connections).toHaveLength(3);
  });

  it('says what to do when there are no connections yet', async () => {
    const { wrapper } = await open(createFakeApi());
    expect(wrapper.text()).toContain('No connections yet');
    expect(wrapper.text()).toContain('Choose Connect');
  });
});

describe('integrations page, refresh', () => {
  it('"Refresh from QuickBooks Online" pulls the remote contacts and shows how it went', async () => {
    const fake = createFakeApi({ connections: [connection()], remotes: [{ remoteId: '58', name: 'Acme', email: null, status: 'active' }] });
    const { wrapper } = await mountWithApp(IntegrationsPage, fake.api, { path: '/integrations', props: { pollIntervalMs: 1 } });
    await flushPromises();
    const row = wrapper.get('li[data-connection-id="conn-1"]');
    await row.findAll('button').find((b) => b.text() === 'Refresh from QuickBooks Online')!.trigger('click');
    await vi.waitFor(() => expect(row.get('.connection__pull').text()).toBe('Refreshed: 1 record read, 1 link changed.'));
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/pull');
    expect(fake.state.requests).toContain('GET /api/v1/connections/conn-1/pulls/pull-1');
  });

  it('viewers see connections without Connect, Reconnect or Refresh', async () => {
    const fake = createFakeApi({
      session: { ...demoSession, user: { ...demoSession.user, role: 'viewer' } },
      connections: [connection(), connection({ id: 'conn-2', status: 'needs_reauth' })],
    });
    const { wrapper } = await mountWithApp(IntegrationsPage, fake.api, { path: '/integrations' });
    await flushPromises();
    expect(wrapper.text()).toContain('Sandbox Company US');
    expect(wrapper.findAll('button').filter((b) => /Connect|Reconnect|Refresh/.test(b.text()))).toHaveLength(0);
  });

  it('pauses and resumes a connection, and disconnects it after a confirmation', async () => {
    const fake = createFakeApi({ connections: [connection()] });
    const { wrapper } = await open(fake);
    const row = () => wrapper.get('li[data-connection-id="conn-1"]');
    const toggle = () => row().get('button[role=switch]');
    expect(toggle().attributes('aria-checked')).toBe('true');
    await toggle().trigger('click');
    await flushPromises();
    expect(fake.state.connections[0]?.enabled).toBe(false);
    expect(toggle().attributes('aria-checked')).toBe('false');
    expect(row().text()).toContain('(paused)');
    await toggle().trigger('click');
    await flushPromises();
    expect(fake.state.connections[0]?.enabled).toBe(true);

    expect(row().get('a[href="/connections/conn-1/settings"]').text()).toBe('Settings');
    await row().findAll('button').find((b) => b.text() === 'Disconnect')!.trigger('click');
    await flushPromises();
    const dialog = wrapper.get('[role=dialog]');
    expect(dialog.text()).toContain('Links, field mappings and history stay');
    await dialog.findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    await flushPromises();
    expect(fake.state.connections[0]?.status).toBe('connected');

    await row().findAll('button').find((b) => b.text() === 'Disconnect')!.trigger('click');
    await flushPromises();
    await wrapper.get('[role=dialog]').findAll('button').find((b) => b.text() === 'Disconnect')!.trigger('click');
    await flushPromises();
    expect(fake.state.requests).toContain('POST /api/v1/connections/conn-1/disconnect');
    expect(row().text()).toContain('Disconnected by');
    expect(row().findAll('button').map((b) => b.text())).toContain('Reconnect');
  });
});

