// Throwaway PostgreSQL databases for integration tests, so suites can run side by side.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { assertPostgresUrl } from './database-errors.js';
import { openDatabase, type Database } from './database.js';
import { connectPostgres } from './postgres-connection.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /** URL of the new database (pass it as DATABASE_URL to code under test). */
  url: string;
  /** The migrated database, opened. */
  database: Database;
  /** Closes `database` and drops the database, even while other sessions are connected. Idempotent. */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env['TEST_DATABASE_URL'];
  return url === undefined || url === '' ? DEFAULT_TEST_DATABASE_URL : url;
}

async function withServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectPostgres(url, 'TEST_DATABASE_URL');
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh PostgreSQL database named ll_test_<random> on TEST_DATABASE_URL's server
 * (default postgresql://postgres@127.0.0.1:5432/test), migrates it and returns it opened.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  assertPostgresUrl(server, 'TEST_DATABASE_URL');
  const name = `ll_test_${randomBytes(6).toString('hex')}`;
  await withServer(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const target = new URL(server);
  target.pathname = `/${name}`;
  const url = target.toString();
  const dropDatabase = () =>
    withServer(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: url });
  } catch (error) {
    await dropDatabase().catch(() => undefined);
    throw error;
  }
  let dropping: Promise<void> | undefined;
  return {
    url,
    database,
    drop: () =>
      (dropping ??= (async () => {
        try {
          await database.close();
        } finally {
          await dropDatabase();
        }
      })()),
  };
}
