import type { ApiError, ContactList, SessionInfo, WorkspaceMembership } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE, SECOND_WORKSPACE, SeedService } from '../src/seed/seed.service.js';
import { startHub, type TestHub } from './helpers.js';

let hub: TestHub;

beforeAll(async () => {
  hub = await startHub({ name: 'workspaces', providers: [] });
}, 60_000);

afterAll(async () => {
  await hub?.close();
});

describe('workspaces of the signed-in person', () => {
  it('lists each workspace with the role there, and marks the current one', async () => {
    const listed = await hub.admin.get<WorkspaceMembership[]>('/api/v1/auth/workspaces');
    expect(listed.status).toBe(200);
    expect(listed.body.map((w) => [w.name, w.role, w.current])).toEqual([
      [DEMO_WORKSPACE, 'owner', true],
      [SECOND_WORKSPACE, 'owner', false],
    ]);
  });

  it('switches the session: data, role and CSRF follow the workspace chosen', async () => {
    const viewer = await hub.signIn();
    const [demo, second] = (await viewer.get<WorkspaceMembership[]>('/api/v1/auth/workspaces')).body;
    expect(demo).toMatchObject({ role: 'viewer', current: true });
    expect(second).toMatchObject({ name: SECOND_WORKSPACE, role: 'admin', current: false });
    expect((await viewer.put('/api/v1/contacts/ws-1', { kind: 'customer', displayName: 'Not Allowed Here' })).status).toBe(403);
    expect((await viewer.get<ContactList>('/api/v1/contacts')).body.total).toBeGreaterThan(0);

    const switched = await viewer.post<SessionInfo>('/api/v1/auth/workspace', { workspaceId: second?.id });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(switched.body).toMatchObject({ workspace: { id: second?.id, name: SECOND_WORKSPACE }, user: { role: 'admin' } });
    expect((await viewer.get<SessionInfo>('/api/v1/auth/me')).body.workspace.id).toBe(second?.id);
    expect((await viewer.get<ContactList>('/api/v1/contacts')).body.total).toBe(0);
    expect((await viewer.put('/api/v1/contacts/ws-1', { kind: 'customer', displayName: 'Allowed Here' })).status).toBe(200);

    expect((await viewer.post('/api/v1/auth/workspace', { workspaceId: demo?.id })).status).toBe(200);
    expect((await viewer.get<ContactList>('/api/v1/contacts?q=Allowed Here')).body.total).toBe(0);
  });

  it('refuses a workspace the person is not a member of with 404, and keeps the session where it was', async () => {
    const other = await hub.app.get(SeedService).createWorkspaceWithOwner({
      workspaceName: 'Someone Else Ltd', email: 'owner@someone-else.example', name: 'Someone', password: 'someone-else-password',
    });
    const refused = await hub.admin.post<ApiError>('/api/v1/auth/workspace', { workspaceId: other });
    expect(refused.status).toBe(404);
    expect((await hub.admin.get<SessionInfo>('/api/v1/auth/me')).body.workspace.name).toBe(DEMO_WORKSPACE);
    const missing = await hub.admin.post<ApiError>('/api/v1/auth/workspace', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields?.[0]?.path).toBe('workspaceId');
  });
});
