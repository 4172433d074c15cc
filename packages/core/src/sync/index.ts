export * from './decide-sync.js';
