import pg from 'pg';
import { assertPostgresUrl, postgresConnectionError } from './database-errors.js';

/**
 * Opens a single pg client, or throws a one-line DatabaseUnavailableError naming `variable`
 * (the setting the URL came from) and the fix.
 */
export async function connectPostgres(databaseUrl: string, variable = 'DATABASE_URL'): Promise<pg.Client> {
  assertPostgresUrl(databaseUrl, variable);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  // A connection dropped later must not crash the process through an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw postgresConnectionError(databaseUrl, error, variable);
  }
  return client;
}
