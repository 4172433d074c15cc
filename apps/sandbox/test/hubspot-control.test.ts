import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET, SANDBOX_HUBSPOT_DEMO_PORTAL_ID, SANDBOX_HUBSPOT_DEMO_TOKEN, sandboxHubspotConnectorEnv, startSandbox } from '../src/index.js';
import { HUBSPOT_REDIRECT_URI, apiError, authorize, control, hubspotClient } from './hubspot-helpers.js';

interface RawRecord {
  id: string;
  archived: boolean;
  properties: Record<string, string>;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

let sandbox: RunningSandbox;
const demo = `/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}`;

beforeAll(async () => {
  sandbox = await startSandbox({ seedDemo: true });
});

afterAll(async () => {
  await sandbox.close();
});

describe('HubSpot control API and page', () => {
  it('points the HubSpot connector at the sandbox through env vars', () => {
    expect(sandboxHubspotConnectorEnv(`${sandbox.url}/`)).toEqual({
      LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_CLIENT_ID,
      LEDGERLINK_CONNECTOR_HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_CLIENT_SECRET,
      LEDGERLINK_CONNECTOR_HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/hubspot/oauth/authorize`,
      LEDGERLINK_CONNECTOR_HUBSPOT_TOKEN_URL: `${sandbox.url}/hubspot/oauth/v1/token`,
      LEDGERLINK_CONNECTOR_HUBSPOT_API_BASE_URL: `${sandbox.url}/hubspot`,
      LEDGERLINK_CONNECTOR_HUBSPOT_APP_BASE_URL: `${sandbox.url}/hubspot/app`,
      LEDGERLINK_CONNECTOR_HUBSPOT_WEBHOOK_SECRET: SANDBOX_HUBSPOT_CLIENT_SECRET,
      LEDGERLINK_CONNECTOR_HUBSPOT_PRIVATE_APP_TOKEN: SANDBOX_HUBSPOT_DEMO_TOKEN,
    });
  });

  it('seeds ten contacts, some sharing e-mails with the QBO demo customers, associated with their companies', async () => {
    const contacts = (await control(sandbox.url, `${demo}/contacts`)).body as RawRecord[];
    expect(contacts).toHaveLength(10);
    const acme = contacts.find((c) => c.properties.email === 'accounts@acme.example.com');
    expect(acme?.properties).toMatchObject({ firstname: 'Olivia', lastname: 'Chen', hs_object_id: acme?.id });
    expect(acme?.associations?.companies?.results).toHaveLength(1);
    expect(acme?.associations?.notes?.results).toHaveLength(1);
    const companies = (await control(sandbox.url, `${demo}/companies`)).body as RawRecord[];
    expect(companies.map((c) => c.properties.name)).toContain('Acme Pty Ltd');
  });

  it('shows each portal on the control page with its contacts and the merge and webhook forms', async () => {
    const page = await (await fetch(`${sandbox.url}/`)).text();
    expect(page).toContain('HubSpot · Ledgerlink Demo CRM');
    expect(page).toContain('accounts@acme.example.com');
    expect(page).toContain(`data-action="/_control/hubspot/portals/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/contacts/merge"`);
    const record = await fetch(`${sandbox.url}/hubspot/app/contacts/${SANDBOX_HUBSPOT_DEMO_PORTAL_ID}/record/0-1/101`);
    expect(record.status).toBe(200);
    expect(await record.text()).toContain('Olivia Chen');
  });

  it('edits a contact as a HubSpot user, refusing a taken e-mail with HubSpot\'s conflict', async () => {
    const edited = await control(sandbox.url, `${demo}/contacts/104/properties`, { propertyName: 'jobtitle', value: 'Owner' });
    expect(edited.body).toMatchObject({ id: '104', properties: { jobtitle: 'Owner' } });
    const taken = await control(sandbox.url, `${demo}/contacts/104/properties`, { properties: { email: 'accounts@acme.example.com' } });
    expect(taken.status).toBe(409);
    expect((taken.body as { error: string }).error).toBe('Contact already exists. Existing ID: 101');
    const bad = await control(sandbox.url, `${demo}/contacts/merge`, { primaryObjectId: '101' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^objectIdToMerge: /);
  });

  it('upserts contacts by e-mail in a batch, creating the missing ones', async () => {
    const client = hubspotClient(sandbox.url, SANDBOX_HUBSPOT_DEMO_TOKEN);
    const result = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { idProperty: 'email', id: 'accounts@acme.example.com', properties: { phone: '+61 2 9000 0000' } },
        { idProperty: 'email', id: 'new.person@example.com', properties: { firstname: 'New' } },
      ],
    });
    const byEmail = new Map(result.results.map((r) => [r.properties.email, r]));
    expect(byEmail.get('accounts@acme.example.com')).toMatchObject({ id: '101', _new: false, properties: { phone: '+61 2 9000 0000' } });
    expect(byEmail.get('new.person@example.com')).toMatchObject({ _new: true, properties: { firstname: 'New' } });
  });

  it('resets to the seed and keeps the demo portal\'s OAuth grant working', async () => {
    const code = (await authorize(sandbox.url, SANDBOX_HUBSPOT_DEMO_PORTAL_ID)).searchParams.get('code') ?? '';
    const tokens = await hubspotClient(sandbox.url, '').oauth.tokensApi.create('authorization_code', code, HUBSPOT_REDIRECT_URI, SANDBOX_HUBSPOT_CLIENT_ID, SANDBOX_HUBSPOT_CLIENT_SECRET);
    const extra = (await control(sandbox.url, '/hubspot/portals', { name: 'Temporary' })).body as { portalId: number; privateAppToken: string };

    expect((await control(sandbox.url, '/reset', {})).status).toBe(200);
    const contacts = (await control(sandbox.url, `${demo}/contacts`)).body as RawRecord[];
    expect(contacts).toHaveLength(10);
    expect(contacts.find((c) => c.id === '104')?.properties.jobtitle).toBeUndefined();
    expect((await hubspotClient(sandbox.url, tokens.accessToken).crm.contacts.basicApi.getById('101')).id).toBe('101');
    const gone = await apiError(() => hubspotClient(sandbox.url, extra.privateAppToken).crm.contacts.basicApi.getPage(1));
    expect(gone.code).toBe(401);
  });
});
