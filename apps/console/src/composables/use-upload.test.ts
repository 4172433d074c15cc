import type { UploadStatus } from '@ledgerlink/contract';
import { describe, expect, it } from 'vitest';
import { watch } from 'vue';
import { connection, contact, createFakeApi } from '../test/fake-api.js';
import { withSetup } from '../test/mount-with-app.js';
import { useUpload } from './use-upload.js';

function setup(failures: [string, string][] = []) {
  const fake = createFakeApi({
    connections: [connection()],
    contacts: [contact('k1', 'Amy'), contact('k2', 'Bill'), contact('k3', 'Cara')],
    uploadFailures: new Map(failures),
  });
  const finished: UploadStatus[] = [];
  const { result, unmount } = withSetup(fake.api, () =>
    useUpload({ pollIntervalMs: 1, onFinished: (status) => void finished.push(status) }),
  );
  return { ...fake, upload: result, finished, unmount };
}

describe('useUpload', () => {
  it('follows the job until it completes, then reports once', async () => {
    const { upload, finished, state } = setup();

    const done = upload.start('conn-1', ['k1', 'k2']);
    expect(upload.active.value).toBe(true);
    expect([...upload.uploadingIds.value]).toEqual(['k1', 'k2']);
    await done;

    expect(finished).toHaveLength(1);
    expect(finished[0]?.state).toBe('completed');
    expect(upload.progress.value).toEqual({ done: 2, total: 2 });
    expect(upload.active.value).toBe(false);
    expect(upload.uploadingIds.value.size).toBe(0);
    expect(state.requests.filter((r) => r.startsWith('POST /api/v1/connections/conn-1/uploads'))).toHaveLength(1);
    expect(state.requests.filter((r) => r.startsWith('GET /api/v1/connections/conn-1/uploads/up-1')).length).toBeGreaterThanOrEqual(3);
  });

  it('reports progress while the job runs', async () => {
    const { upload } = setup();
    const seen: string[] = [];
    watch(
      upload.progress,
      ({ done, total }) => {
        if (seen.at(-1) !== `${done}/${total}`) seen.push(`${done}/${total}`);
      },
      { flush: 'sync' },
    );

    await upload.start('conn-1', ['k1', 'k2', 'k3']);

    expect(seen).toEqual(['0/3', '1/3', '2/3', '3/3']);
  });

  it('keeps the message of each item that failed and stops showing it as uploading', async () => {
    const { upload, finished } = setup([['k2', 'DisplayName is already used by another customer in QuickBooks.']]);

    await upload.start('conn-1', ['k1', 'k2']);

    expect(finished[0]?.results.map((r) => r.ok)).toEqual([true, false]);
    expect(upload.failures.value.get('k2')).toBe('DisplayName is already used by another customer in QuickBooks.');
    expect(upload.failures.value.has('k1')).toBe(false);
  });

  it('shows why an upload could not start (nothing chosen) without polling', async () => {
    const { upload, state } = setup();

    await upload.start('conn-1', []);

    expect(upload.error.value?.code).toBe('invalid_request');
    expect(upload.error.value?.message).toContain('choose at least one contact to upload');
    expect(upload.active.value).toBe(false);
    expect(state.requests).toHaveLength(0);
  });

  it('stops polling when its component goes away', async () => {
    const { upload, unmount, state, finished } = setup();

    const done = upload.start('conn-1', ['k1', 'k2', 'k3']);
    unmount();
    await done;
    const count = state.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(state.requests.length).toBe(count);
    expect(finished).toHaveLength(0);
  });
});
