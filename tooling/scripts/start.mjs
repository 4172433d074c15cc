#!/usr/bin/env node
// `pnpm start`: builds what is needed, then runs the sandbox (QuickBooks Online, Xero and HubSpot on loopback) and
// the all-in-one Ledgerlink process (API + worker + console) on the embedded database, seeded so a
// person can click through every workflow. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildStartEnv, sandboxProviders } from './start-env.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const children = new Set();

function stopAll(code) {
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
  if (children.size === 0) process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

if (!process.argv.includes('--no-build')) {
  console.log('Building Ledgerlink (first run takes a minute)...');
  const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@ledgerlink/console...', '--output-logs=errors-only'], {
    cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', CHECKPOINT_DISABLE: '1' },
  });
  if (build.status !== 0) {
    console.error('Build failed; see the errors above.');
    process.exit(build.status ?? 1);
  }
}

function run(name, script, env) {
  const child = spawn(process.execPath, [script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const prefix = (line) => (line.length > 0 ? `[${name}] ${line}` : line);
  child.stdout.on('data', (chunk) => process.stdout.write(chunk.toString().split('\n').map(prefix).join('\n')));
  child.stderr.on('data', (chunk) => process.stderr.write(chunk.toString().split('\n').map(prefix).join('\n')));
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (signal !== 'SIGTERM') {
      console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping the rest.`);
      stopAll(code ?? 1);
    }
  });
  return child;
}

async function waitFor(url, what) {
  for (let i = 0; i < 300; i += 1) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer at ${url} within 60 s`);
}

const sandboxModule = await import(pathToFileURL(join(root, 'apps/sandbox/dist/index.js')).href);
const { sandboxEnv, apiEnv, urls, webhookSubscriptions } = buildStartEnv({ root, env: process.env, providers: sandboxProviders(sandboxModule) });

run('sandbox', join(root, 'apps/sandbox/dist/main.js'), sandboxEnv);
await waitFor(`${urls.sandbox}/_control/qbo/companies`, 'The sandbox');
run('ledgerlink', join(root, 'apps/api/dist/start.js'), apiEnv);
await waitFor(`${urls.console}/api/v1/health`, 'Ledgerlink');
for (const subscription of webhookSubscriptions) {
  const answer = await fetch(subscription.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(subscription.body) }).catch((error) => error);
  if (!(answer instanceof Response) || !answer.ok) console.warn(`Could not subscribe Ledgerlink to the sandbox's webhooks (${answer instanceof Response ? answer.status : answer.message}): use "Refresh" on Integrations to see sandbox changes.`);
}

const passwordFile = join(apiEnv.LEDGERLINK_DATA_DIR, 'admin-password.txt');
// Health can answer before the first seed has written the sign-ins; give it a few seconds.
for (let i = 0; i < 50 && apiEnv.LEDGERLINK_SEED === '1' && !existsSync(passwordFile); i += 1) {
  await new Promise((r) => setTimeout(r, 200));
}
const signIns = existsSync(passwordFile)
  ? readFileSync(passwordFile, 'utf8').trim().split('\n').map((line) => `    Sign in:   ${line.trim().replace(/\s+/, '  password ')}`).join('\n')
  : '    Sign in:   with the e-mail and password printed above';

console.log(`
  Ledgerlink is running.
    Console:   ${urls.console}
    API docs:  ${urls.console}/api/docs
    Sandbox:   ${urls.sandbox}   (plays QuickBooks Online, Xero and HubSpot: rename, inactivate, merge, inject faults)
    Data:      ${apiEnv.LEDGERLINK_DATA_DIR}
${signIns}
  Press Ctrl-C to stop.
`);
