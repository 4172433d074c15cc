// Opens PGlite on a directory on disk. PGlite is single-process: a lock file beside the data keeps a
// second process from opening (and corrupting) the same files.
import { link, mkdir, readdir, readFile, rm, stat, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteDirectoryError } from './database-errors.js';

/** Sub-directory of the data directory that holds PGlite's PostgreSQL files. */
export const PGLITE_SUBDIRECTORY = 'pglite';
const LOCK_FILE = 'pglite.lock';

export interface PgliteStore {
  pglite: PGlite;
  /** Absolute path of the PostgreSQL files. */
  directory: string;
  /** Closes PGlite and releases the directory lock. Safe to call twice. */
  close(): Promise<void>;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

async function prepareDirectory(root: string): Promise<string> {
  const existing = await stat(root).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw pgliteDirectoryError(root, `cannot inspect it (${describe(error)})`, error);
  });
  if (existing === null) {
    try {
      await mkdir(root, { recursive: true });
    } catch (error) {
      throw pgliteDirectoryError(root, `cannot create it (${describe(error)}); choose a writable directory`, error);
    }
  } else if (!existing.isDirectory()) {
    throw pgliteDirectoryError(root, 'it is a file, not a directory; choose a directory path');
  }
  try {
    await access(root, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw pgliteDirectoryError(root, 'it is not writable by this user; fix its permissions or choose another directory', error);
  }
  const directory = path.join(root, PGLITE_SUBDIRECTORY);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw pgliteDirectoryError(root, `cannot create ${directory} (${describe(error)}); remove whatever is in the way`, error);
  }
  const entries = await readdir(directory);
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    throw pgliteDirectoryError(
      root,
      `${directory} holds files that are not a PGlite database; move them away or choose another directory`,
    );
  }
  return directory;
}

/** Takes the directory lock, clearing a lock left by a process that no longer runs. */
async function acquireLock(root: string): Promise<() => Promise<void>> {
  const lockPath = path.join(root, LOCK_FILE);
  const ownContent = `${process.pid}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    // Write the pid to a private file, then hard-link it into place: the link either appears with
    // the full content or fails with EEXIST, so a reader never sees a half-written lock.
    const candidate = path.join(root, `${LOCK_FILE}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`);
    await writeFile(candidate, ownContent, 'utf8');
    try {
      await link(candidate, lockPath);
      return async () => {
        const current = await readFile(lockPath, 'utf8').catch(() => null);
        if (current === ownContent) await rm(lockPath, { force: true });
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw pgliteDirectoryError(root, `cannot write its lock file (${describe(error)})`, error);
      }
    } finally {
      await rm(candidate, { force: true });
    }
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      const who = holder === process.pid ? 'this process (close the other Database first)' : `process ${holder}`;
      throw pgliteDirectoryError(
        root,
        `it is already open in ${who}; PGlite allows one process per directory, so stop it or set DATABASE_URL to use PostgreSQL`,
      );
    }
    await rm(lockPath, { force: true });
  }
  throw pgliteDirectoryError(root, `could not take its lock file ${lockPath}; delete it if no Ledgerlink process is running`);
}

/** Opens (creating if needed) the PGlite database kept in `dataDir`. */
export async function openPgliteStore(dataDir: string): Promise<PgliteStore> {
  const root = path.resolve(dataDir);
  const directory = await prepareDirectory(root);
  const release = await acquireLock(root);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(directory);
  } catch (error) {
    await release();
    throw pgliteDirectoryError(root, `PGlite could not start on ${directory} (${describe(error)})`, error);
  }
  let closing: Promise<void> | undefined;
  return {
    pglite,
    directory,
    close() {
      closing ??= (async () => {
        try {
          if (!pglite.closed) await pglite.close();
        } finally {
          await release();
        }
      })();
      return closing;
    },
  };
}
