// Starts the whole Ledgerlink stack for the browser end-to-end test: the sandbox in-process, a
// fresh PostgreSQL database, and the API all-in-one process (API + worker + built console).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sandboxConnectorEnv, startSandbox, type RunningSandbox } from '@ledgerlink/sandbox';

const run = promisify(execFile);

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const apiEntry = join(repoRoot, 'apps/api/dist/start.js');
const consoleDir = join(repoRoot, 'apps/console/dist');

/** The machine's PostgreSQL (trust auth); each run creates and drops its own database there. */
const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Stack {
  /** Where the API serves the console and /api, e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  sandboxUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Everything the API process printed so far (for failure reports). */
  apiOutput(): string;
  /** Stops the API, drops the database, closes the sandbox; safe to call twice and after a failed start. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function psql(sql: string): Promise<void> {
  await run('psql', ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  });
}

function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** The seed prints `Ledgerlink demo sign-in: <email> / <password> (...)` once, when it creates the user. */
export function parseSeedPassword(output: string, email: string): string | null {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`Ledgerlink demo sign-in: ${escaped} / (\\S+)`).exec(output)?.[1] ?? null;
}

export async function startStack(options: { startTimeoutMs?: number } = {}): Promise<Stack> {
  const missing = [
    existsSync(apiEntry) ? null : `${apiEntry} (run: pnpm --filter @ledgerlink/api build)`,
    existsSync(join(consoleDir, 'index.html')) ? null : `${consoleDir}/index.html (run: pnpm --filter @ledgerlink/console build)`,
  ].filter((line): line is string => line !== null);
  if (missing.length > 0) throw new Error(`The end-to-end test needs built code; missing:\n  ${missing.join('\n  ')}`);

  const id = randomBytes(5).toString('hex');
  const database = `ll_e2e_${id}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'll-e2e-'));
  const cleanups: (() => Promise<void>)[] = [];
  let output = '';
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const problems: string[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (problems.length > 0) throw new Error(`Cleaning up the end-to-end stack failed:\n  ${problems.join('\n  ')}`);
  };

  try {
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

    const sandbox: RunningSandbox = await startSandbox({ port: 0, seedDemo: true });
    cleanups.push(() => sandbox.close());

    await psql(`CREATE DATABASE ${database}`);
    cleanups.push(() => psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const queuePrefix = `e2e-${id}`;
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('LEDGERLINK_') && key !== 'DATABASE_URL' && key !== 'PORT'),
    );
    const child = spawn(process.execPath, [apiEntry], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...inherited,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `postgresql://${PG.user}@${PG.host}:${PG.port}/${database}`,
        REDIS_URL,
        LEDGERLINK_QUEUE_PREFIX: queuePrefix,
        LEDGERLINK_SECRET_KEY: randomBytes(32).toString('hex'),
        LEDGERLINK_CONSOLE_DIR: consoleDir,
        LEDGERLINK_DATA_DIR: dataDir,
        LEDGERLINK_SEED: '1',
        LEDGERLINK_PUBLIC_URL: apiUrl,
        ...sandboxConnectorEnv(sandbox.url),
      },
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    cleanups.push(async () => {
      await stopProcess(child);
      // Bull's keys for this run only (best effort: a missing redis-cli leaves them to expire with Redis).
      await run('sh', ['-c', `redis-cli -u "$1" --scan --pattern "$2:*" | xargs -r redis-cli -u "$1" del >/dev/null`, 'sh', REDIS_URL, queuePrefix]).catch(() => undefined);
    });

    const adminEmail = 'admin@ledgerlink.local';
    const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
    let adminPassword: string | null = null;
    let healthy = false;
    while (Date.now() < deadline && !(healthy && adminPassword)) {
      if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} while starting:\n${output}`);
      adminPassword ??= parseSeedPassword(output, adminEmail);
      if (!healthy) {
        healthy = await fetch(`${apiUrl}/api/v1/health`).then(
          (response) => response.status === 200,
          () => false,
        );
      }
      if (!(healthy && adminPassword)) await new Promise((r) => setTimeout(r, 250));
    }
    if (!healthy) throw new Error(`GET ${apiUrl}/api/v1/health did not answer 200 in time. API output:\n${output}`);
    if (!adminPassword) throw new Error(`The API did not print the seeded admin's password ("Ledgerlink demo sign-in: ${adminEmail} / …"). API output:\n${output}`);

    return { apiUrl, sandboxUrl: sandbox.url, adminEmail, adminPassword, apiOutput: () => output, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
