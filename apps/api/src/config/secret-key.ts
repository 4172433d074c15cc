import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeKey } from './config.js';

export type SecretKeyResult = { readonly key: Buffer; readonly createdFile?: string } | { readonly problem: string };

/**
 * The key that encrypts credentials: LEDGERLINK_SECRET_KEY, or in embedded mode
 * `<dataDir>/secret.key`, created once with mode 0600.
 */
export async function loadSecretKey(input: { readonly secretKey: Buffer | null; readonly dataDir: string }): Promise<SecretKeyResult> {
  if (input.secretKey) return { key: input.secretKey };
  const path = join(input.dataDir, 'secret.key');
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await mkdir(input.dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      return { problem: `${path} could not be created (${(error as Error).message}): make ${input.dataDir} writable or set LEDGERLINK_SECRET_KEY` };
    }
  }
  const created = await readKeyFile(path);
  if (!created) return { problem: `${path} could not be read back after creating it` };
  return 'key' in created ? { key: created.key, createdFile: path } : created;
}

async function readKeyFile(path: string): Promise<SecretKeyResult | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { problem: `${path} could not be read (${(error as Error).message}): fix its permissions or set LEDGERLINK_SECRET_KEY` };
  }
  const key = decodeKey(text);
  if (!key) return { problem: `${path} does not hold a 32-byte key in base64 or hex: restore the original file (credentials encrypted with it are unreadable without it) or set LEDGERLINK_SECRET_KEY` };
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) await chmod(path, 0o600);
  return { key };
}
