// `pnpm --filter @ledgerlink/sandbox bench` (after build): simple QBO reads per second against a
// bare node:http baseline measured in the same run, then RSS with a 1,000,000-record company.
// Prints a JSON report. Options: BENCH_REQUESTS (default 20000), BENCH_CONCURRENCY (default 16),
// BENCH_MEMORY=0 (reads only).
import { Agent, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, cpus, totalmem } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SANDBOX_QBO_CLIENT_ID, SANDBOX_QBO_CLIENT_SECRET } from '../connector-env.js';
import { DEMO_REALMS } from '../qbo/seed.js';
import { startSandbox } from '../sandbox.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? '20000');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '16');
const REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';

function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads/s for `count` GETs of `url` from `CONCURRENCY` keep-alive connections; every answer must be 200. */
async function measure(url: URL, headers: Record<string, string>, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      if ((await get(agent, url, headers)) !== 200) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (failures > 0) throw new Error(`${failures} of ${count} reads of ${url.pathname} did not answer 200`);
  return count / seconds;
}

interface LoadJob {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly count: number;
}

/** Runs the load generator on a worker thread, so the server under test has the main thread to itself. */
function load(job: LoadJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (rate: number) => resolve(rate));
    worker.once('error', reject);
  });
}

async function baselineServer(body: string): Promise<{ server: Server; url: URL }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`) };
}

/** Consent + code exchange, as a browser and the hub would do it. */
async function accessToken(base: string, realmId: string): Promise<string> {
  const authorize = new URL(`${base}/qbo/connect/oauth2`);
  authorize.search = new URLSearchParams({ client_id: SANDBOX_QBO_CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 'bench' }).toString();
  const page = await (await fetch(authorize)).text();
  const form = new URLSearchParams();
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1] ?? '', (match[2] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  form.set('realmId', realmId);
  form.set('decision', 'allow');
  const consent = await fetch(authorize.origin + authorize.pathname, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokens = await fetch(`${base}/qbo/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SANDBOX_QBO_CLIENT_ID}:${SANDBOX_QBO_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
  });
  return ((await tokens.json()) as { access_token: string }).access_token;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

if (!isMainThread) {
  const job = workerData as LoadJob;
  parentPort?.postMessage(await measure(new URL(job.url), job.headers, job.count));
} else {
  await main();
}

async function main(): Promise<void> {
const sandbox = await startSandbox({ seedDemo: true });
try {
  const realmId = DEMO_REALMS.us;
  const token = await accessToken(sandbox.url, realmId);
  await fetch(`${sandbox.url}/_control/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
  const readUrl = new URL(`${sandbox.url}/qbo/v3/company/${realmId}/customer/2`);
  const auth = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const sample = await (await fetch(readUrl, { headers: auth })).text();
  const baseline = await baselineServer(sample);

  await load({ url: baseline.url.href, headers: {}, count: Math.min(2000, REQUESTS) });
  await load({ url: readUrl.href, headers: auth, count: Math.min(2000, REQUESTS) });
  const baselineRate = await load({ url: baseline.url.href, headers: {}, count: REQUESTS });
  const sandboxRate = await load({ url: readUrl.href, headers: auth, count: REQUESTS });
  baseline.server.close();

  if (process.env.BENCH_MEMORY === '0') {
    console.log(JSON.stringify({ baselinePerSecond: Math.round(baselineRate), sandboxPerSecond: Math.round(sandboxRate) }));
    return;
  }
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const seedStarted = performance.now();
  const seeded = await fetch(`${sandbox.url}/_control/qbo/companies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Million Records Ltd', customers: 400_000, vendors: 100_000, invoices: 500_000 }),
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  if (seeded.status !== 201) throw new Error(`seeding answered ${seeded.status}: ${await seeded.text()}`);
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;

  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', arch: arch(), memoryMb: mb(totalmem()), node: process.version },
        reads: {
          requests: REQUESTS,
          concurrency: CONCURRENCY,
          baselinePerSecond: Math.round(baselineRate),
          sandboxPerSecond: Math.round(sandboxRate),
          ratio: Number((sandboxRate / baselineRate).toFixed(2)),
        },
        memory: { records: 1_000_000, rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter), seedSeconds: Number(seedSeconds.toFixed(1)) },
      },
      null,
      2,
    ),
  );
} finally {
  await sandbox.close();
}
}
