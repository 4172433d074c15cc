import { createHmac, randomBytes } from 'node:crypto';
import type { Credentials } from '@ledgerlink/connector-sdk';
import type { ApiError, Connection, ContactDetail, ContactView, CreateConnectionResponse, PullStatus } from '@ledgerlink/contract';
import { approveConsent } from '@ledgerlink/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptoService } from '../src/crypto/crypto.service.js';
import { InboundSweeper } from '../src/inbound/inbound-sweeper.service.js';
import { connectQuickBooks, startHub, type TestClient, type TestHub, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';
const AU_REALM = '9341452713046892';
const VERIFIER_TOKEN = `verifier-${randomBytes(8).toString('hex')}`;

let hub: TestHub;
let admin: TestClient;
let connectionId: string;
let contactId: string;
let remoteId: string;

const prisma = () => hub.testDb.database.prisma;

async function deliverCustomerChange(id: string, lastUpdated: string): Promise<number> {
  const body = JSON.stringify({ eventNotifications: [{ realmId: US_REALM, dataChangeEvent: { entities: [{ name: 'Customer', id, operation: 'Update', lastUpdated }] } }] });
  const response = await fetch(`${hub.baseUrl}/api/v1/webhooks/quickbooks-online`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'intuit-signature': createHmac('sha256', VERIFIER_TOKEN).update(body).digest('base64') },
    body,
  });
  return response.status;
}

async function renameInSandbox(id: string, name: string): Promise<void> {
  const response = await fetch(`${hub.sandbox.url}/_control/qbo/companies/${US_REALM}/customers/${id}/rename`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: name }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** The QBO API answer for the customer with this access token (200, or 401 once revoked). */
async function readWithToken(accessToken: string): Promise<number> {
  const response = await fetch(`${hub.sandbox.url}/qbo/v3/company/${US_REALM}/customer/${remoteId}?minorversion=75`, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
  return response.status;
}

async function storedCredentials(): Promise<Credentials | null> {
  const row = await prisma().connection.findUniqueOrThrow({ where: { id: connectionId }, select: { credentials: true } });
  return row.credentials ? hub.app.get(CryptoService).decryptJson<Credentials>(row.credentials, connectionId) : null;
}

beforeAll(async () => {
  hub = await startHub({ name: 'lifecycle', env: { LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_WEBHOOK_VERIFIER_TOKEN: VERIFIER_TOKEN } });
  admin = hub.admin;
  connectionId = await connectQuickBooks(admin, US_REALM);
  const customers = (await (await fetch(`${hub.sandbox.url}/_control/qbo/companies/${US_REALM}/customers`)).json()) as Array<{ Id: string; DisplayName: string }>;
  const target = customers.find((c) => c.DisplayName === 'Cedar & Pine Landscaping');
  if (!target) throw new Error('the demo company has no Cedar & Pine Landscaping');
  remoteId = target.Id;
  const contact = await admin.put<ContactView>('/api/v1/contacts/lifecycle-cedar', { kind: 'customer', displayName: 'Cedar & Pine Landscaping' });
  contactId = contact.body.id;
  const linked = await admin.post<ContactDetail>(`/api/v1/connections/${connectionId}/links`, { contactId, remoteId });
  expect(linked.status, JSON.stringify(linked.body)).toBe(201);
}, 90_000);

afterAll(async () => {
  await hub?.close();
});

describe('pausing a connection', () => {
  it('refuses work on a paused connection with the fix, and holds its webhooks until it is enabled again', async () => {
    const paused = await admin.put<Connection>(`/api/v1/connections/${connectionId}/enabled`, { enabled: false });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ id: connectionId, enabled: false, status: 'connected' });

    for (const [path, body] of [
      [`/api/v1/connections/${connectionId}/pull`, {}],
      [`/api/v1/connections/${connectionId}/uploads`, { contactIds: [contactId] }],
      [`/api/v1/connections/${connectionId}/matching/run`, {}],
      [`/api/v1/connections/${connectionId}/transactions/sync`, {}],
    ] as const) {
      const refused = await admin.post<ApiError>(path, body);
      expect(refused.status, path).toBe(409);
      expect(refused.body.error.message, path).toContain('paused: enable it');
    }

    await renameInSandbox(remoteId, 'Cedar & Pine Landscaping Co');
    expect(await deliverCustomerChange(remoteId, new Date().toISOString())).toBe(200);
    const held = await waitFor(
      () => prisma().inboundEvent.findFirst({ where: { connectionId, remoteId } }),
      (event) => event?.reason === 'held while the connection is paused',
    );
    expect(held?.state).toBe('received');
    expect((await prisma().remoteContact.findFirst({ where: { connectionId, remoteId } }))?.displayName ?? null).not.toBe('Cedar & Pine Landscaping Co');

    const resumed = await admin.put<Connection>(`/api/v1/connections/${connectionId}/enabled`, { enabled: true });
    expect(resumed.body).toMatchObject({ enabled: true, status: 'connected' });
    const applied = await waitFor(() => prisma().inboundEvent.findUniqueOrThrow({ where: { id: held?.id ?? '' } }), (event) => event.state !== 'received');
    expect(applied.state).toBe('applied');
    expect((await prisma().remoteContact.findFirst({ where: { connectionId, remoteId } }))?.displayName).toBe('Cedar & Pine Landscaping Co');

    const pulled = await admin.post<PullStatus>(`/api/v1/connections/${connectionId}/pull`, {});
    expect(pulled.status).toBe(202);
    const actions = (await prisma().auditLog.findMany({ where: { entityId: connectionId }, orderBy: { createdAt: 'asc' } })).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['connection.paused', 'connection.enabled']));
  });

  it('pausing twice records one change', async () => {
    await admin.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: false });
    await admin.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: false });
    await admin.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: true });
    const paused = await prisma().auditLog.count({ where: { entityId: connectionId, action: 'connection.paused' } });
    expect(paused).toBe(2); // one from the test above, one here
  });

  it('refuses a body without a boolean, naming the field', async () => {
    const refused = await admin.put<ApiError>(`/api/v1/connections/${connectionId}/enabled`, { enabled: 'no' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toContain('enabled');
    expect((await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } })).enabled).toBe(true);
  });
});

describe('disconnecting and reconnecting in place', () => {
  it('revokes the tokens at the provider, erases them, and keeps the links', async () => {
    const before = await storedCredentials();
    if (!before) throw new Error('no credentials stored');
    expect(await readWithToken(before.accessToken)).toBe(200);

    const disconnected = await admin.post<Connection>(`/api/v1/connections/${connectionId}/disconnect`);
    expect(disconnected.status, JSON.stringify(disconnected.body)).toBe(200);
    expect(disconnected.body).toMatchObject({ status: 'disconnected', statusReason: expect.stringContaining('Disconnected by') as unknown });

    expect(await storedCredentials()).toBeNull();
    expect(await readWithToken(before.accessToken)).toBe(401);
    const link = await prisma().contactLink.findFirstOrThrow({ where: { connectionId, contactId } });
    expect(link).toMatchObject({ state: 'linked', remoteId });
    const audit = await prisma().auditLog.findFirst({ where: { entityId: connectionId, action: 'connection.disconnected' } });
    expect(audit?.details).toMatchObject({ revoked: true });

    const refused = await admin.post<ApiError>(`/api/v1/connections/${connectionId}/pull`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('disconnected: reconnect it');
  });

  it('refuses a reconnect that chooses another company, and stays disconnected', async () => {
    const started = await admin.post<CreateConnectionResponse>('/api/v1/connections', { connectorId: 'quickbooks-online', connectionId });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.connectionId).toBe(connectionId);
    const callback = await approveConsent(started.body.authorizeUrl, { choose: { realmId: AU_REALM } });
    const back = await admin.get(callback.toString());
    const location = new URL(back.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toContain('This connection is for Sandbox Company US, but Harbour Goods Ltd was chosen');
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row).toMatchObject({ status: 'disconnected', tenantId: US_REALM, credentials: null });
  });

  it('reconnects the same connection with the same company: links and history carry on', async () => {
    const started = await admin.post<CreateConnectionResponse>('/api/v1/connections', { connectorId: 'quickbooks-online', connectionId });
    const callback = await approveConsent(started.body.authorizeUrl, { choose: { realmId: US_REALM } });
    const back = await admin.get(callback.toString());
    expect(back.headers.get('location')).toContain(`connected=${connectionId}`);
    const connections = (await admin.get<Connection[]>('/api/v1/connections')).body;
    expect(connections.filter((c) => c.connectorId === 'quickbooks-online')).toHaveLength(1);
    expect(connections[0]).toMatchObject({ id: connectionId, status: 'connected', statusReason: null });
    const credentials = await storedCredentials();
    expect(credentials && (await readWithToken(credentials.accessToken))).toBe(200);
    const detail = await admin.get<ContactDetail>(`/api/v1/contacts/${contactId}`);
    expect(detail.body.links.find((l) => l.connectionId === connectionId)).toMatchObject({ state: 'linked', remoteId });
  });

  it('refuses to reconnect a connection of another connector, naming the field', async () => {
    const refused = await admin.post<ApiError>('/api/v1/connections', { connectorId: 'xero', connectionId });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'connectorId', message: 'must be quickbooks-online to reconnect this connection' }]);
  });
});

describe('who may change a connection', () => {
  it('refuses the viewer, and answers 404 for an unknown id', async () => {
    const viewer = await hub.signIn();
    expect((await viewer.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: false })).status).toBe(403);
    expect((await viewer.post(`/api/v1/connections/${connectionId}/disconnect`)).status).toBe(403);
    expect((await admin.post('/api/v1/connections/no-such-connection/disconnect')).status).toBe(404);
    expect((await admin.put('/api/v1/connections/no-such-connection/enabled', { enabled: true })).status).toBe(404);
    expect((await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } })).enabled).toBe(true);
  });
});

describe('inbound events whose job was lost', () => {
  it('are queued again by the sweeper and applied once; a paused connection keeps its events held', async () => {
    const lost = await prisma().inboundEvent.create({
      data: {
        connectorId: 'quickbooks-online', dedupeKey: `lost-${Date.now()}`, workspaceId: (await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } })).workspaceId,
        connectionId, entity: 'customer', remoteId, operation: 'update', occurredAt: new Date(), receivedAt: new Date(Date.now() - 5 * 60 * 1000),
      },
    });
    const sweeper = hub.app.get(InboundSweeper);
    await admin.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: false });
    expect(await sweeper.sweep()).toBe(0);
    await admin.put(`/api/v1/connections/${connectionId}/enabled`, { enabled: true });
    // Enabling queued it already (held events resume); the sweeper then leaves it to that job or finds it done.
    const applied = await waitFor(() => prisma().inboundEvent.findUniqueOrThrow({ where: { id: lost.id } }), (event) => event.state !== 'received');
    expect(applied.state).toBe('applied');

    const orphan = await prisma().inboundEvent.create({
      data: {
        connectorId: 'quickbooks-online', dedupeKey: `orphan-${Date.now()}`, workspaceId: lost.workspaceId, connectionId, entity: 'customer', remoteId,
        operation: 'update', occurredAt: new Date(), receivedAt: new Date(Date.now() - 5 * 60 * 1000),
      },
    });
    expect(await sweeper.sweep()).toBe(1);
    const done = await waitFor(() => prisma().inboundEvent.findUniqueOrThrow({ where: { id: orphan.id } }), (event) => event.state !== 'received');
    expect(done.state).toBe('applied');
    expect(await sweeper.sweep()).toBe(0);
  });
});
