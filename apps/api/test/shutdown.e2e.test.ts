import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ContactView, UploadStatus } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectQuickBooks, startHub, type TestHub, waitFor } from './helpers.js';

const AU_REALM = '9341452713046892';
const WORKER = fileURLToPath(new URL('../dist/worker.js', import.meta.url));

let hub: TestHub;
let worker: ChildProcess | undefined;
let output = '';

/** A worker process of the same hub, as `pnpm start:worker` runs it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...hub.env, LOG_LEVEL: 'info', LEDGERLINK_SHUTDOWN_GRACE_MS: '20000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return child;
}

async function setLatency(latencyMs: number): Promise<void> {
  const response = await fetch(`${hub.sandbox.url}/_control/faults/qbo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  // The API only: jobs run in the worker process this test starts and stops.
  hub = await startHub({ name: 'shutdown', providers: ['quickbooks-online'], role: 'api' });
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGKILL');
    await once(worker, 'exit');
  }
  await hub?.close();
});

describe('graceful shutdown of a worker', () => {
  it('on SIGTERM finishes the job it is running, then exits 0; nothing is lost or done twice', async () => {
    const connectionId = await connectQuickBooks(hub.admin, AU_REALM);
    worker = startWorker();
    await waitFor(() => Promise.resolve(output), (text) => text.includes('Ledgerlink worker processing jobs'), 30_000);

    // Every QuickBooks call now takes 1.5 s, so the upload is mid-flight when the signal comes.
    await setLatency(1500);
    const contact = (await hub.admin.put<ContactView>('/api/v1/contacts/shutdown-1', { kind: 'customer', displayName: 'Graceful Shutdown Pty Ltd' })).body;
    const started = await hub.admin.post<UploadStatus>(`/api/v1/connections/${connectionId}/uploads`, { contactIds: [contact.id] });
    expect(started.status).toBe(202);
    const upload = () => hub.admin.get<UploadStatus>(`/api/v1/connections/${connectionId}/uploads/${started.body.uploadId}`).then((r) => r.body);
    await waitFor(upload, (u) => u.state === 'running', 30_000);

    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code, output).toBe(0);
    expect(output).toContain('stopping: finishing running jobs');
    expect(output).toContain('"stopped"');

    // The job finished inside the shutdown: no other worker was needed.
    const done = await upload();
    expect(done).toMatchObject({ state: 'completed', results: [expect.objectContaining({ contactId: contact.id, ok: true, created: true })] });
    await setLatency(0);
    const customers = (await (await fetch(`${hub.sandbox.url}/_control/qbo/companies/${AU_REALM}/customers`)).json()) as Array<{ DisplayName: string }>;
    expect(customers.filter((c) => c.DisplayName === 'Graceful Shutdown Pty Ltd')).toHaveLength(1);
  }, 90_000);
});
