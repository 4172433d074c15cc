import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { type ConnectionSettings, ConnectionSettingsView, type ScheduleSetting } from '@ledgerlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerlinkApp } from '../src/app/create-app.js';
import { QUEUES } from '../src/queue/queues.js';
import { SCHEDULED_PULL, SchedulesService, scheduleJobId } from '../src/schedules/schedules.service.js';
import { connectQuickBooks, startHub, type TestClient, type TestHub, waitFor } from './helpers.js';

const US_REALM = '9341452713046891';

let started: TestHub;
let hub: LedgerlinkApp;
let admin: TestClient;
let connectionId: string;
let queue: Queue;

async function setSchedule(schedule: ScheduleSetting): Promise<void> {
  const current = ConnectionSettingsView.parse((await admin.get(`/api/v1/connections/${connectionId}/settings`)).body);
  const settings: ConnectionSettings = { ...current.settings, schedule };
  const saved = await admin.put(`/api/v1/connections/${connectionId}/settings`, settings);
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

async function scheduledJobs() {
  return (await queue.getRepeatableJobs()).filter((job) => job.name === SCHEDULED_PULL);
}

beforeAll(async () => {
  started = await startHub({ name: 'schedules', providers: ['quickbooks-online'] });
  ({ app: hub, admin } = started);
  connectionId = await connectQuickBooks(admin, US_REALM);
  queue = hub.nest.get<Queue>(getQueueToken(QUEUES.schedules), { strict: false });
}, 60_000);

afterAll(async () => {
  await started?.close();
});

describe('pull schedules', () => {
  it('registers no repeatable job while the schedule is off', async () => {
    await hub.get(SchedulesService).reconcile();
    expect(await scheduledJobs()).toEqual([]);
  });

  it('registers one repeatable job for an interval, replaces it when the schedule changes, removes it when turned off', async () => {
    const schedules = hub.get(SchedulesService);
    await setSchedule({ type: 'interval', minutes: 15 });
    expect(await schedules.reconcile()).toMatchObject({ registered: 1, removed: 0 });
    const [job, ...others] = await scheduledJobs();
    expect(others).toEqual([]);
    expect(job?.id).toBe(scheduleJobId(connectionId));
    expect(Number(job?.every ?? job?.cron)).toBe(15 * 60_000);
    // Reconciling again changes nothing.
    expect(await schedules.reconcile()).toEqual({ registered: 0, removed: 0, kept: 1 });
    expect(await scheduledJobs()).toHaveLength(1);

    await setSchedule({ type: 'cron', expression: '0 2 * * *' });
    expect(await schedules.reconcile()).toEqual({ registered: 1, removed: 1, kept: 0 });
    expect(await scheduledJobs()).toEqual([expect.objectContaining({ id: scheduleJobId(connectionId), cron: '0 2 * * *' })]);

    await setSchedule({ type: 'off' });
    expect(await schedules.reconcile()).toEqual({ registered: 0, removed: 1, kept: 0 });
    expect(await scheduledJobs()).toEqual([]);
  });

  it('a tick of a scheduled connection runs a pull recorded with trigger schedule', async () => {
    await setSchedule({ type: 'interval', minutes: 60 });
    await queue.add(SCHEDULED_PULL, { workspaceId: (await started.testDb.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } })).workspaceId, connectionId });
    const run = await waitFor(
      () => started.testDb.database.prisma.syncRun.findFirst({ where: { connectionId, trigger: 'schedule' } }),
      (r) => r !== null && (r.state === 'completed' || r.state === 'failed'),
    );
    expect(run?.state).toBe('completed');
    expect(await started.testDb.database.prisma.remoteContact.count({ where: { connectionId } })).toBeGreaterThan(0);
    await setSchedule({ type: 'off' });
    await hub.get(SchedulesService).reconcile();
  });
});
