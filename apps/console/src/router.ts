import { createRouter, createWebHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router';
import type { SessionStore } from './composables/use-session.js';
import ActivityPage from './pages/activity-page.vue';
import ApiKeysPage from './pages/api-keys-page.vue';
import ContactDetailPage from './pages/contact-detail-page.vue';
import ContactsPage from './pages/contacts-page.vue';
import IntegrationsPage from './pages/integrations-page.vue';
import MappingPage from './pages/mapping-page.vue';
import MatchingPage from './pages/matching-page.vue';
import NotFoundPage from './pages/not-found-page.vue';
import SignInPage from './pages/sign-in-page.vue';
import TransactionsPage from './pages/transactions-page.vue';
import ConnectionSettingsPage from './pages/connection-settings-page.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    title?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/integrations' },
  { path: '/sign-in', name: 'sign-in', component: SignInPage, meta: { public: true, title: 'Sign in' } },
  { path: '/integrations', name: 'integrations', component: IntegrationsPage, meta: { title: 'Integrations' } },
  { path: '/customers', name: 'customers', component: ContactsPage, props: { kind: 'customer' }, meta: { title: 'Customers' } },
  { path: '/suppliers', name: 'suppliers', component: ContactsPage, props: { kind: 'supplier' }, meta: { title: 'Suppliers' } },
  { path: '/matching', name: 'matching', component: MatchingPage, meta: { title: 'Matching' } },
  { path: '/mappings', name: 'mappings', component: MappingPage, meta: { title: 'Field mapping' } },
  { path: '/transactions', name: 'transactions', component: TransactionsPage, meta: { title: 'Transactions' } },
  { path: '/activity', name: 'activity', component: ActivityPage, meta: { title: 'Activity' } },
  { path: '/contacts/:id', name: 'contact', component: ContactDetailPage, props: true, meta: { title: 'Contact' } },
  { path: '/connections/:id/settings', name: 'connection-settings', component: ConnectionSettingsPage, props: true, meta: { title: 'Connection settings' } },
  { path: '/settings/api-keys', name: 'api-keys', component: ApiKeysPage, meta: { title: 'API keys' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundPage, meta: { title: 'Not found' } },
];

/** The console's router: every page but sign-in needs a session. */
export function createAppRouter(session: SessionStore, history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({ history, routes });
  router.beforeEach(async (to) => {
    let signedIn: boolean;
    try {
      signedIn = (await session.ensure()) !== null;
    } catch {
      // The API could not be asked; let the page load and show its own error.
      return true;
    }
    if (to.meta.public) return signedIn && to.name === 'sign-in' ? '/' : true;
    if (!signedIn) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    return true;
  });
  router.afterEach((to) => {
    if (typeof document !== 'undefined') document.title = to.meta.title ? `${to.meta.title} · Ledgerlink` : 'Ledgerlink';
  });
  return router;
}
