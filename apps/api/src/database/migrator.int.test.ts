// The migration runner against the machine's real PostgreSQL (TEST_DATABASE_URL's server).
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrateCli } from './migrate-cli.js';
import { MIGRATION_LOCK_KEYS, applyMigrations, defaultMigratorPaths } from './migrator.js';
import { DEFAULT_TEST_DATABASE_URL } from './test-database.js';

const serverUrl = process.env['TEST_DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL;
const created: string[] = [];

async function onServer<T>(work: (client: pg.Client) => Promise<T>, url = serverUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database of our own, so this file can run beside other suites. */
async function emptyDatabase(): Promise<string> {
  const name = `ll_migrator_${randomBytes(5).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function committedMigrations(): Promise<{ name: string; checksum: string }[]> {
  const entries = await readdir(defaultMigratorPaths.migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(defaultMigratorPaths.migrationsDir, name, 'migration.sql'));
      return { name, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

async function migrationRows(url: string): Promise<MigrationRow[]> {
  return onServer(async (client) => {
    const result = await client.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    return result.rows;
  }, url);
}

afterAll(async () => {
  await onServer(async (client) => {
    for (const name of created) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
});

describe('applyMigrations on PostgreSQL', () => {
  it('applies every committed migration to a fresh database and records each in _prisma_migrations', async () => {
    const url = await emptyDatabase();
    const expected = await committedMigrations();
    expect(expected.length).toBeGreaterThan(0);

    const { applied } = await applyMigrations({ databaseUrl: url });

    expect(applied).toEqual(expected.map((migration) => migration.name));
    const rows = await migrationRows(url);
    expect(rows.map((row) => ({ name: row.migration_name, checksum: row.checksum }))).toEqual(expected);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const tables = await onServer(
      (client) =>
        client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        ),
      url,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['Workspace', 'User', 'Contact', 'ContactLink', 'Connection', 'SyncRun']),
    );
  });

  it('does nothing the second time', async () => {
    const url = await emptyDatabase();
    await applyMigrations({ databaseUrl: url });
    const before = await migrationRows(url);

    const second = await applyMigrations({ databaseUrl: url });

    expect(second.applied).toEqual([]);
    expect(await migrationRows(url)).toEqual(before);
  });

  it('lets two processes starting at once both succeed, applying each migration exactly once', async () => {
    const url = await emptyDatabase();
    const expected = (await committedMigrations()).map((migration) => migration.name);

    const results = await Promise.all([applyMigrations({ databaseUrl: url }), applyMigrations({ databaseUrl: url })]);

    // Whichever took the lock first applied everything; the other found nothing left to do.
    expect(results.map((result) => result.applied).sort((a, b) => b.length - a.length)).toEqual([expected, []]);
    expect((await migrationRows(url)).map((row) => row.migration_name)).toEqual(expected);
  });

  it('waits while another process holds the migration lock, then applies', async () => {
    const url = await emptyDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEYS]);
      const applying = applyMigrations({ databaseUrl: url });
      // Wait until the runner's session is queued behind the held lock.
      let waiting = false;
      for (let attempt = 0; attempt < 200 && !waiting; attempt += 1) {
        const result = await holder.query<{ count: string }>(
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2",
          [...MIGRATION_LOCK_KEYS],
        );
        waiting = result.rows[0]?.count === '1';
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(waiting).toBe(true);
      const table = await holder.query("SELECT to_regclass('public._prisma_migrations') AS table");
      expect(table.rows[0]).toEqual({ table: null });

      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK_KEYS]);
      expect((await applying).applied.length).toBeGreaterThan(0);
    } finally {
      await holder.end();
    }
  });

  it('reports unreachable PostgreSQL in one line that names DATABASE_URL and hides the password', async () => {
    const error = await applyMigrations({ databaseUrl: 'postgresql://ledger:hunter2@127.0.0.1:1/ledgerlink' }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/ledgerlink \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('hunter2');
  });

  it('reports a database that does not exist and how to fix it', async () => {
    const url = new URL(serverUrl);
    url.pathname = `/ll_missing_${randomBytes(4).toString('hex')}`;
    await expect(applyMigrations({ databaseUrl: url.toString() })).rejects.toThrow(
      /does not exist; create that database or point DATABASE_URL at an existing one/,
    );
  });
});

describe('migrate-cli deploy', () => {
  it('applies to DATABASE_URL and says so', async () => {
    const url = await emptyDatabase();
    const out: string[] = [];
    const err: string[] = [];
    const io = { env: { DATABASE_URL: url }, out: (line: string) => out.push(line), err: (line: string) => err.push(line) };

    expect(await runMigrateCli(['deploy'], io)).toBe(0);
    expect(await runMigrateCli(['deploy'], io)).toBe(0);

    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^Applied \d+ migration\(s\) to PostgreSQL \(DATABASE_URL\): \d{14}_init/);
    expect(out[1]).toBe('PostgreSQL (DATABASE_URL) is up to date; no migrations to apply.');
  });

  it('exits 1 with the one-line reason when PostgreSQL is down', async () => {
    const err: string[] = [];
    const code = await runMigrateCli(['deploy'], {
      env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/ledgerlink' },
      out: () => undefined,
      err: (line) => err.push(line),
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/DATABASE_URL/);
  });

  it('explains its usage when the command is missing or the name is empty', async () => {
    const err: string[] = [];
    const io = { env: {}, out: () => undefined, err: (line: string) => err.push(line) };
    expect(await runMigrateCli([], io)).toBe(2);
    expect(await runMigrateCli(['dev'], io)).toBe(2);
    expect(err[0]).toMatch(/Usage:/);
    expect(err[1]).toMatch(/needs a migration name, e\.g\. `pnpm migrate:dev add_realm_id`/);
  });
});
