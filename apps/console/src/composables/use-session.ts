import { ApiClientError, type ApiClient } from '@ledgerlink/api-client';
import type { LoginRequest, SessionInfo } from '@ledgerlink/contract';
import { inject, reactive, readonly, type InjectionKey } from 'vue';

export interface SessionState {
  /** The signed-in user and workspace, or null. */
  session: SessionInfo | null;
  /** True once the API has been asked who is signed in. */
  checked: boolean;
}

export interface SessionStore {
  readonly state: Readonly<SessionState>;
  /** Asks the API once who is signed in (a 401 means nobody); later calls reuse the answer. */
  ensure(): Promise<SessionInfo | null>;
  signIn(credentials: LoginRequest): Promise<SessionInfo>;
  signOut(): Promise<void>;
  /** Moves the session to another of the person's workspaces; pages reload for it. */
  switchWorkspace(workspaceId: string): Promise<SessionInfo>;
  /** The API answered 401 somewhere: the session has ended. */
  expire(): void;
}

export const sessionKey: InjectionKey<SessionStore> = Symbol('ledgerlink-session');

export function createSessionStore(api: ApiClient): SessionStore {
  const state = reactive<SessionState>({ session: null, checked: false });
  let pending: Promise<SessionInfo | null> | null = null;

  async function ensure(): Promise<SessionInfo | null> {
    if (state.checked) return state.session;
    pending ??= api
      .me()
      .then(
        (session) => session,
        (error: unknown) => {
          if (error instanceof ApiClientError && error.status === 401) return null;
          throw error;
        },
      )
      .then((session) => {
        state.session = session;
        state.checked = true;
        return session;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  return {
    state: readonly(state),
    ensure,
    async signIn(credentials) {
      const session = await api.login(credentials);
      state.session = session;
      state.checked = true;
      return session;
    },
    async signOut() {
      try {
        await api.logout();
      } catch (error) {
        // An expired session is already signed out; anything else is worth showing.
        if (!(error instanceof ApiClientError && error.status === 401)) throw error;
      } finally {
        state.session = null;
        state.checked = true;
      }
    },
    async switchWorkspace(workspaceId) {
      const session = await api.call('switchWorkspace', { body: { workspaceId } });
      state.session = session;
      return session;
    },
    expire() {
      state.session = null;
      state.checked = true;
    },
  };
}

export function useSession(): SessionStore {
  const store = inject(sessionKey);
  if (!store) throw new Error('No session store provided: call app.provide(sessionKey, createSessionStore(api)) before mounting.');
  return store;
}
