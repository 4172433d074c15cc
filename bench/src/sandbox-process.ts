import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SandboxProcess {
  readonly url: string;
  control<T = unknown>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The sandbox in its own process (as `pnpm start` runs it), so the provider's CPU is not the
 * measured client's: seeded with the demo companies.
 */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('@ledgerlink/sandbox')), 'main.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [main], { env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(`${url}/_control/qbo/companies`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 100) throw new Error('The sandbox did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async control<T>(path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}/_control${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
