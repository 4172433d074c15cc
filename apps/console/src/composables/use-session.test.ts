import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../test/fake-api.js';
import { createSessionStore } from './use-session.js';

describe('createSessionStore', () => {
  it('treats a 401 from /auth/me as signed out, and asks only once', async () => {
    const { api, state } = createFakeApi({ session: null });
    const session = createSessionStore(api);

    expect(await Promise.all([session.ensure(), session.ensure()])).toEqual([null, null]);
    expect(await session.ensure()).toBeNull();
    expect(state.requests.filter((r) => r === 'GET /api/v1/auth/me')).toHaveLength(1);
    expect(session.state.checked).toBe(true);
  });

  it('signs in, remembers who, and signs out', async () => {
    const { api, state } = createFakeApi({ session: null });
    const session = createSessionStore(api);

    await session.signIn({ email: 'admin@ledgerlink.local', password: 'correct horse' });
    expect(session.state.session?.user.email).toBe('admin@ledgerlink.local');
    expect(await session.ensure()).not.toBeNull();

    await session.signOut();
    expect(session.state.session).toBeNull();
    expect(state.session).toBeNull();
  });

  it("passes on the API's refusal of a wrong password", async () => {
    const { api } = createFakeApi({ session: null });
    const session = createSessionStore(api);

    await expect(session.signIn({ email: 'admin@ledgerlink.local', password: 'nope' })).rejects.toMatchObject({
      status: 401,
      message: 'That email and password do not match an account.',
    });
    expect(session.state.session).toBeNull();
  });
});
