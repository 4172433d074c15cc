export * from './money.js';
export * from './config-env.js';
export * from './models.js';
export * from './errors.js';
export type * from './context.js';
export type * from './session.js';
export * from './define-connector.js';
