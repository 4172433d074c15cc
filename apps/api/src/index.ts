export { createApp, StartupError, type CreateAppOptions, type LedgerlinkApp } from './app/create-app.js';
export { SeedService, DEMO_ADMIN_EMAIL, DEMO_VIEWER_EMAIL, DEMO_WORKSPACE } from './seed/seed.service.js';
