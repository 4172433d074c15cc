import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The CLI as `pnpm start` runs it: the built dist/main.js (turbo builds before it tests).
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

function firstLine(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    process.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    process.on('exit', (code) => reject(new Error(`exited with ${String(code)} before printing: ${out}`)));
  });
}

describe('ledgerlink-sandbox (dist/main.js)', () => {
  it('listens where SANDBOX_PORT says, serves the seeded demo, and stops on SIGTERM', async () => {
    expect(existsSync(main), 'dist/main.js is missing: run `pnpm --filter @ledgerlink/sandbox build` first').toBe(true);
    child = spawn(process.execPath, [main], { env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    const match = /^Sandbox \(QuickBooks Online, Xero, HubSpot\) listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    expect(match, line).not.toBeNull();
    const companies = (await (await fetch(`${match?.[1] ?? ''}/_control/qbo/companies`)).json()) as { name: string }[];
    expect(companies.map((c) => c.name)).toEqual(['Sandbox Company US', 'Harbour Goods Ltd']);

    const exited = new Promise<NodeJS.Signals | null>((resolve) => child?.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
  });

  it('refuses a SANDBOX_PORT that is not a port number, saying what to use', async () => {
    child = spawn(process.execPath, [main], { env: { ...process.env, SANDBOX_PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child?.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toContain('SANDBOX_PORT=eighty is not a port number');
  });
});
