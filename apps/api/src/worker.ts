// Bull processors only, no HTTP: scale these out for throughput.
import 'reflect-metadata';
import { runEntry } from './app/run-entry.js';

await runEntry('worker', (app) => `Ledgerlink worker processing jobs (database: ${app.database.kind}, queue prefix: ${app.config.queuePrefix})`);
