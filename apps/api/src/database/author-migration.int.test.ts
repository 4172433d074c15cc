// Authoring migrations with an in-memory PGlite, always on copies in a temporary directory so the
// real prisma/migrations folder is never touched.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, authorMigration, defaultMigratorPaths } from './migrator.js';

const SLOW = 120_000; // each authoring run starts an in-memory PostgreSQL (initdb) on 2 shared cores

let workDir: string;
let realMigrationsBefore: string[];

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/** A copy of apps/api/prisma (schema + migrations) in a fresh directory. */
async function copyOfPrisma(label: string): Promise<{ schemaPath: string; migrationsDir: string }> {
  const root = path.join(workDir, label);
  const migrationsDir = path.join(root, 'migrations');
  const schemaPath = path.join(root, 'schema.prisma');
  await cp(defaultMigratorPaths.migrationsDir, migrationsDir, { recursive: true });
  await cp(defaultMigratorPaths.schemaPath, schemaPath);
  return { schemaPath, migrationsDir };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'll-author-'));
  realMigrationsBefore = await listTree(defaultMigratorPaths.migrationsDir);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  // The real folder is exactly as it was.
  expect(await listTree(defaultMigratorPaths.migrationsDir)).toEqual(realMigrationsBefore);
});

describe('authorMigration', () => {
  it('returns null and writes nothing when prisma/schema.prisma matches the committed migrations', { timeout: SLOW }, async () => {
    const paths = await copyOfPrisma('unchanged');
    const before = await listTree(paths.migrationsDir);

    expect(await authorMigration('nothing to do', paths)).toEqual({ created: null });
    expect(await listTree(paths.migrationsDir)).toEqual(before);
  });

  it('writes an ALTER TABLE ... ADD COLUMN migration for an added column, which then applies', { timeout: SLOW }, async () => {
    const paths = await copyOfPrisma('added-column');
    const schema = await readFile(paths.schemaPath, 'utf8');
    const changed = schema.replace(/(\n\s*tenantName\s+String\?)/, '$1\n  realmId String?');
    expect(changed).not.toBe(schema);
    await writeFile(paths.schemaPath, changed);

    const { created } = await authorMigration('Add realm id', { ...paths, now: new Date(Date.UTC(2099, 0, 2, 3, 4, 5)) });

    expect(created).toBe('20990102030405_add_realm_id');
    const sql = await readFile(path.join(paths.migrationsDir, String(created), 'migration.sql'), 'utf8');
    expect(sql).toMatch(/ALTER TABLE "Connection" ADD COLUMN\s+"realmId" TEXT;/);
    expect(sql).not.toMatch(/CREATE TABLE/);

    // The history now matches the schema, and a fresh database takes both migrations.
    expect(await authorMigration('again', paths)).toEqual({ created: null });
    const pglite = await PGlite.create();
    try {
      const { applied } = await applyMigrations({ pglite }, paths);
      expect(applied.at(-1)).toBe('20990102030405_add_realm_id');
      const columns = await pglite.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'Connection' AND column_name = 'realmId'",
      );
      expect(columns.rows).toEqual([{ column_name: 'realmId' }]);
    } finally {
      await pglite.close();
    }
  });

  it('writes the first migration and migration_lock.toml into an empty folder', { timeout: SLOW }, async () => {
    const paths = { schemaPath: defaultMigratorPaths.schemaPath, migrationsDir: path.join(workDir, 'fresh', 'migrations') };

    const { created } = await authorMigration('init', { ...paths, now: new Date(Date.UTC(2030, 5, 6, 7, 8, 9)) });

    expect(created).toBe('20300606070809_init');
    const lock = await readFile(path.join(paths.migrationsDir, 'migration_lock.toml'), 'utf8');
    expect(lock).toMatch(/^provider = "postgresql"$/m);
    const sql = await readFile(path.join(paths.migrationsDir, String(created), 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Workspace"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Contact_workspaceId_externalId_key"');
  });

  it('names the schema file when it cannot be read', async () => {
    const missing = path.join(workDir, 'nowhere', 'schema.prisma');
    await expect(authorMigration('x', { schemaPath: missing, migrationsDir: path.join(workDir, 'nowhere') })).rejects.toThrow(
      `Cannot read the Prisma schema at ${missing}`,
    );
  });
});
