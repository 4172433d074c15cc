// All in one process for `pnpm start`: API + processors, embedded PGlite unless DATABASE_URL is
// set, demo data when LEDGERLINK_SEED=1, and the built console when LEDGERLINK_CONSOLE_DIR is set.
import 'reflect-metadata';
import { runEntry } from './app/run-entry.js';

await runEntry('all', (app, url) => {
  const where = app.database.kind === 'pglite' ? `embedded PGlite in ${app.config.dataDir}` : 'PostgreSQL';
  const console = app.config.consoleDir ? `console at ${url ?? ''}/` : `API docs at ${url ?? ''}/api/docs`;
  return `Ledgerlink is running on ${url ?? ''}: ${console} (database: ${where})`;
});
