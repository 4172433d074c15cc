import { UploadItemResult, type UploadStatus } from '@ledgerlink/contract';
import { z } from 'zod';
import type { RunRow } from './uploads.repository.js';

export type UploadItem = z.infer<typeof UploadItemResult>;

const States = z.enum(['queued', 'running', 'completed', 'failed']);

export function readResults(value: unknown): UploadItem[] {
  const parsed = z.array(UploadItemResult).safeParse(value);
  return parsed.success ? parsed.data : [];
}

export function readInput(value: unknown): string[] {
  const parsed = z.array(z.string()).safeParse(value);
  return parsed.success ? parsed.data : [];
}

export function toUploadStatus(run: RunRow): UploadStatus {
  const state = States.safeParse(run.state);
  return { uploadId: run.id, connectionId: run.connectionId, state: state.success ? state.data : 'failed', total: run.total, results: readResults(run.results) };
}
