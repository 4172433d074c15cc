import type { FixAction, SyncItemResult } from '@ledgerlink/contract';
import type { HoldCode } from '@ledgerlink/core';

/** What a person does about a held item, per core's hold code. */
export const FIX_FOR_HOLD: Record<HoldCode, FixAction> = {
  contact_not_linked: 'link_contact',
  contact_pending: 'retry',
  link_invalid: 'relink_contact',
  mapping_problem: 'fix_mapping',
  dependency_held: 'fix_data',
  dependency_missing: 'fix_data',
  duplicate: 'fix_data',
  cycle: 'fix_data',
};

/** What a sync run stores in SyncRun.results once planned. */
export interface RunResults {
  readonly held: SyncItemResult[];
  /** Ready transactions skipped because they were synced and have not changed since. */
  readonly unchanged: number;
  /** Why the run failed as a whole (connection unusable, connector without transactions). */
  readonly error?: string;
}

/** What a sync run stores in SyncRun.input. */
export type RunInput = { readonly mode: 'sync' } | { readonly mode: 'retry'; readonly transactionIds: readonly string[] | null };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readRunResults(value: unknown): RunResults {
  if (!isRecord(value)) return { held: [], unchanged: 0 };
  const held = Array.isArray(value.held) ? (value.held as SyncItemResult[]) : [];
  const unchanged = typeof value.unchanged === 'number' ? value.unchanged : 0;
  return { held, unchanged, ...(typeof value.error === 'string' ? { error: value.error } : {}) };
}

export function readRunInput(value: unknown): RunInput {
  if (isRecord(value) && value.mode === 'retry') {
    return { mode: 'retry', transactionIds: Array.isArray(value.transactionIds) ? value.transactionIds.filter((v): v is string => typeof v === 'string') : null };
  }
  return { mode: 'sync' };
}

export function readBatchResults(value: unknown): SyncItemResult[] {
  return Array.isArray(value) ? (value as SyncItemResult[]) : [];
}

export function readBatchItems(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A batch item is finished when it reached one of these states. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['synced', 'failed', 'blocked']);
