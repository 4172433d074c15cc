import { createApiClient } from '@ledgerlink/api-client';
import { createApp } from 'vue';
import App from './app.vue';
import { apiClientKey } from './composables/use-api.js';
import { createSessionStore, sessionKey } from './composables/use-session.js';
import { createAppRouter } from './router.js';
import './styles.css';

// Relative /api URLs: the API serves this build at /, and `vite` proxies /api in development.
const api = createApiClient({ baseUrl: '' });
const session = createSessionStore(api);

createApp(App).provide(apiClientKey, api).provide(sessionKey, session).use(createAppRouter(session)).mount('#app');
