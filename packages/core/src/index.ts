export * from './link-state.js';
