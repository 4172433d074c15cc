export * from './common.js';
export * from './health.js';
export * from './auth.js';
export * from './connectors.js';
export * from './contacts.js';
export * from './routes.js';
export * from './openapi.js';
