import type { ApiClient } from '@ledgerlink/api-client';
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { defineComponent, h, type Component } from 'vue';
import { createMemoryHistory, type Router } from 'vue-router';
import { apiClientKey } from '../composables/use-api.js';
import { createSessionStore, sessionKey, type SessionStore } from '../composables/use-session.js';
import { createAppRouter } from '../router.js';

export interface AppHarness {
  router: Router;
  session: SessionStore;
}

/** Mounts a component the way main.ts does (API client, session, router) on an in-memory history. */
export async function mountWithApp<C extends Component>(
  component: C,
  api: ApiClient,
  options: { path?: string; props?: Record<string, unknown> } = {},
) {
  const session = createSessionStore(api);
  const router = createAppRouter(session, createMemoryHistory());
  await router.push(options.path ?? '/');
  await router.isReady();
  const wrapper = mount(component as Component, {
    props: options.props,
    attachTo: document.body,
    global: { plugins: [router], provide: { [apiClientKey as symbol]: api, [sessionKey as symbol]: session } },
  } as ComponentMountingOptions<Component>);
  return { wrapper, router, session };
}

/** Runs a composable inside a component's setup (so inject and onScopeDispose work). */
export function withSetup<T>(api: ApiClient, composable: () => T): { result: T; unmount: () => void } {
  let result: T | undefined;
  const session = createSessionStore(api);
  const wrapper = mount(
    defineComponent({
      setup() {
        result = composable();
        return () => h('div');
      },
    }),
    { global: { provide: { [apiClientKey as symbol]: api, [sessionKey as symbol]: session } } },
  );
  return { result: result as T, unmount: () => wrapper.unmount() };
}
