// The HTTP API (no job processing): scale these out behind a load balancer.
import 'reflect-metadata';
import { runEntry } from './app/run-entry.js';

await runEntry('api', (app, url) => `Ledgerlink API listening on ${url ?? ''} (database: ${app.database.kind}, queue prefix: ${app.config.queuePrefix})`);
