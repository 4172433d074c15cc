// `pnpm bench` (bench package): 10,000 invoices for 2,000 linked customers pushed to sandbox
// QuickBooks Online through the hub, with the sandbox enforcing Intuit's limits (500 requests/min,
// 10 concurrent, 40 batch requests/min) time-scaled so the run is short; and in the same run the
// same job done the naive way with node-quickbooks (serial, and a naive parallel fan-out).
// Reports invoices per provider-minute, the share of the ceiling the limits allow, 429s received
// and the ratio hub / naive. Sizes and scale: BENCH_INVOICES, BENCH_CUSTOMERS, BENCH_NAIVE_INVOICES,
// BENCH_TIME_SCALE, BENCH_WORKERS.
import { cpus } from 'node:os';
import { inParallel, startHub } from './hub.js';
import { naiveClient, naiveInvoices, type NaiveResult, scriptTokens } from './naive-qbo.js';
import { startSandboxProcess } from './sandbox-process.js';

const INVOICES = envInt('BENCH_INVOICES', 10_000);
const CUSTOMERS = envInt('BENCH_CUSTOMERS', 2_000);
const NAIVE_INVOICES = envInt('BENCH_NAIVE_INVOICES', 1_500);
const TIME_SCALE = envInt('BENCH_TIME_SCALE', 4);
const WORKERS = envInt('BENCH_WORKERS', 1);
/** Intuit: 40 batch requests a minute per company, 30 items a batch. */
const HUB_CEILING_PER_MINUTE = 40 * 30;
/** Intuit: 500 requests a minute per company, one invoice a request. */
const NAIVE_CEILING_PER_MINUTE = 500;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} must be a whole number of at least 1`);
  return value;
}

interface RequestEntry {
  readonly seq: number;
  readonly path: string;
  readonly status: number;
}

interface RunView {
  readonly id: string;
  readonly state: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly blocked: number;
}

const today = new Date().toISOString().slice(0, 10);
const perMinute = (count: number, elapsedMs: number) => count / ((elapsedMs * TIME_SCALE) / 60_000);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess();
  try {
    const companies = await sandbox.control<{ realmId: string; name: string }[]>('/qbo/companies');
    const hubRealm = companies.find((c) => c.name === 'Sandbox Company US')?.realmId;
    const naiveRealm = companies.find((c) => c.name !== 'Sandbox Company US')?.realmId;
    if (!hubRealm || !naiveRealm) throw new Error('the sandbox has not seeded its two demo companies');

    // Setup (not measured): limits off while customers and transactions are created and linked.
    await sandbox.control('/limits', { enabled: false });
    const hub = await startHub({ sandboxUrl: sandbox.url, realmId: hubRealm, workers: WORKERS, timeScale: TIME_SCALE });
    try {
      const contactIds: string[] = [];
      await inParallel(Array.from({ length: CUSTOMERS }, (_, i) => i), 16, async (i) => {
        const contact = await hub.client.ok<{ id: string }>('PUT', `/api/v1/contacts/bench-c-${i}`, { kind: 'customer', displayName: `Bench Customer ${String(i).padStart(5, '0')}` });
        contactIds[i] = contact.id;
      });
      for (let start = 0; start < contactIds.length; start += 1000) {
        const upload = await hub.client.ok<{ uploadId: string }>('POST', `/api/v1/connections/${hub.connectionId}/uploads`, { contactIds: contactIds.slice(start, start + 1000) });
        for (;;) {
          const status = await hub.client.ok<{ state: string }>('GET', `/api/v1/connections/${hub.connectionId}/uploads/${upload.uploadId}`);
          if (status.state === 'completed') break;
          if (status.state === 'failed') throw new Error('uploading the bench customers failed');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await inParallel(Array.from({ length: INVOICES }, (_, i) => i), 16, async (i) => {
        await hub.client.ok('PUT', `/api/v1/transactions/bench-inv-${i}`, {
          type: 'invoice',
          contactExternalId: `bench-c-${i % CUSTOMERS}`,
          ready: true,
          number: `B-${i}`,
          issueDate: today,
          currency: 'USD',
          lines: [{ description: 'Widget', quantity: 2, unitAmount: 1250, amount: 2500, itemCode: 'Services' }],
          total: 2500,
        });
      });

      // Measured: the hub's Sync now under the provider's real limits.
      await sandbox.control('/limits', { enabled: true, timeScale: TIME_SCALE });
      const before = await sandbox.control<RequestEntry[]>('/requests?limit=1');
      const firstSeq = (before.at(-1)?.seq ?? 0) + 1;
      const started = performance.now();
      const run = await hub.client.ok<RunView>('POST', `/api/v1/connections/${hub.connectionId}/transactions/sync`);
      let done: RunView;
      for (;;) {
        done = await hub.client.ok<RunView>('GET', `/api/v1/connections/${hub.connectionId}/sync-runs/${run.id}`);
        if (done.state === 'completed' || done.state === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const hubMs = performance.now() - started;
      const log = await sandbox.control<RequestEntry[]>('/requests?limit=5000');
      const hubRequests = log.filter((e) => e.seq >= firstSeq && e.path.includes(`/company/${hubRealm}/`));
      const hub429 = hubRequests.filter((e) => e.status === 429).length;
      const hubRate = perMinute(done.succeeded, hubMs);

      // The naive way, same sandbox, same limits, the other demo company.
      const tokens = await scriptTokens(sandbox.url, naiveRealm);
      const qbo = naiveClient(sandbox.url, naiveRealm, tokens);
      const customers = (await sandbox.control<{ Id: string; Active?: boolean }[]>(`/qbo/companies/${naiveRealm}/customers`)).filter((c) => c.Active !== false);
      const invoiceFor = (i: number) => ({
        CustomerRef: { value: customers[i % customers.length]?.Id ?? '1' },
        DocNumber: `N-${i}`,
        Line: [{ DetailType: 'SalesItemLineDetail', Amount: 25, Description: 'Widget', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 12.5 } }],
      });
      const pause = () => new Promise((resolve) => setTimeout(resolve, (61_000 / TIME_SCALE)));
      const serial: NaiveResult = await naiveInvoices(qbo, Array.from({ length: NAIVE_INVOICES }, (_, i) => invoiceFor(i)), 1, TIME_SCALE);
      await pause();
      const parallel: NaiveResult = await naiveInvoices(qbo, Array.from({ length: NAIVE_INVOICES }, (_, i) => invoiceFor(NAIVE_INVOICES + i)), 25, TIME_SCALE);
      const serialRate = perMinute(serial.invoices, serial.elapsedMs);
      const parallelRate = perMinute(parallel.invoices, parallel.elapsedMs);

      const cpu = cpus()[0]?.model ?? 'unknown CPU';
      const lines = [
        `Throughput to sandbox QuickBooks Online (${cpus().length} × ${cpu}, Node ${process.version}; time scale ${TIME_SCALE}×, ${WORKERS} worker process${WORKERS === 1 ? '' : 'es'})`,
        '',
        '| way | invoices | per provider-minute | share of its ceiling | 429s | ratio to hub |',
        '|---|---|---|---|---|---|',
        `| Ledgerlink hub (batches of 30) | ${fmt(done.succeeded)} of ${fmt(INVOICES)} (${done.failed} failed, ${done.blocked} blocked) | ${fmt(hubRate)} | ${fmt((100 * hubRate) / HUB_CEILING_PER_MINUTE, 1)}% of ${HUB_CEILING_PER_MINUTE} | ${hub429} | 1 |`,
        `| node-quickbooks, one by one | ${fmt(serial.invoices)} | ${fmt(serialRate)} | ${fmt((100 * serialRate) / NAIVE_CEILING_PER_MINUTE, 1)}% of ${NAIVE_CEILING_PER_MINUTE} | ${serial.throttled} | ${fmt(hubRate / serialRate, 2)}× slower |`,
        `| node-quickbooks, 25 in parallel | ${fmt(parallel.invoices)} | ${fmt(parallelRate)} | ${fmt((100 * parallelRate) / NAIVE_CEILING_PER_MINUTE, 1)}% of ${NAIVE_CEILING_PER_MINUTE} | ${parallel.throttled} | ${fmt(hubRate / parallelRate, 2)}× slower |`,
        '',
        `Hub: ${hubRequests.length} provider requests; run ${run.id} ${done.state}.`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (done.failed > 0 || done.succeeded !== INVOICES) process.exitCode = 1;
    } finally {
      await hub.stop();
    }
  } finally {
    await sandbox.stop();
  }
}

await main();
