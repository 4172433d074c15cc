import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  migrationTimestamp,
  nextMigrationDirectoryName,
  normalizeMigrationName,
  readMigrationList,
} from './migrations-folder.js';

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('migration names', () => {
  it('turns a free-form description into the directory suffix', () => {
    expect(normalizeMigrationName('Add realm ID')).toBe('add_realm_id');
    expect(normalizeMigrationName('  init  ')).toBe('init');
    expect(normalizeMigrationName('contacts: add e-mail index!')).toBe('contacts_add_e_mail_index');
  });

  it('refuses a name with no letters or digits and says what to pass', () => {
    expect(() => normalizeMigrationName(' -- ')).toThrow(/no letters or digits.*add_realm_id/);
  });

  it('prefixes the UTC timestamp the Prisma CLI uses', () => {
    const now = new Date(Date.UTC(2026, 10, 23, 9, 5, 7));
    expect(migrationTimestamp(now)).toBe('20261123090507');
    expect(nextMigrationDirectoryName(['20250101000000_init'], 'Add realm', now)).toBe('20261123090507_add_realm');
  });

  it('keeps a new migration after the newest existing one even when the clock is behind', () => {
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
    const name = nextMigrationDirectoryName(['20261123090507_init'], 'next', now);
    expect(name > '20261123090507_init').toBe(true);
    expect(name).toMatch(/^\d{14}_next$/);
  });
});

describe('readMigrationList', () => {
  it('treats a missing folder as an empty history', async () => {
    const list = await readMigrationList(path.join(os.tmpdir(), `ll-missing-${process.pid}-${Date.now()}`));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile.content).toBeNull();
  });

  it('lists migration directories in name order and ignores loose files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'll-migrations-'));
    temporary.push(dir);
    for (const name of ['20260102000000_second', '20260101000000_first']) {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'migration.sql'), `-- ${name}\n`);
    }
    await writeFile(path.join(dir, 'README.md'), 'notes');
    const list = await readMigrationList(dir);
    expect(list.migrationDirectories.map((entry) => entry.path)).toEqual([
      '20260101000000_first',
      '20260102000000_second',
    ]);
    expect(list.migrationDirectories[0]?.migrationFile.content).toEqual({
      tag: 'ok',
      value: '-- 20260101000000_first\n',
    });
  });

  it('refuses migrations locked to another database provider', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'll-migrations-'));
    temporary.push(dir);
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
    await expect(readMigrationList(dir)).rejects.toThrow(/provider = "postgresql"/);
  });
});
