import type { TransactionType } from '@ledgerlink/connector-sdk';
import type { LinkState } from '../link-state.js';
import type { MappingProblem } from '../mapping/field-mapping.js';

/** A document or payment (or a contact upload) ready to go to one connection. */
export interface BatchItem {
  /** The local record's id (transaction or contact); unique per connection within a run. */
  readonly id: string;
  readonly connectionId: string;
  readonly entity: TransactionType | 'contact';
  readonly contactId: string;
  /** Shown in reasons ("Contact not linked: link or upload Acme Pty Ltd"). */
  readonly contactName: string;
  /** Shown in reasons of items that wait for this one, e.g. "Invoice INV-001". */
  readonly label?: string;
  /** Documents this item references (a payment's invoices): their local id and, when synced, remote id. */
  readonly references?: readonly { readonly id: string; readonly label: string; readonly remoteId: string | null }[];
  /** Problems of the mapped payload (applyMapping); any problem holds the item. */
  readonly problems?: readonly MappingProblem[];
}

export interface LinkFact {
  readonly connectionId: string;
  readonly contactId: string;
  readonly state: LinkState;
  readonly remoteId: string | null;
  readonly reason: string | null;
}

export interface PlanBatchesInput {
  readonly items: readonly BatchItem[];
  readonly links: readonly LinkFact[];
  /** The provider's batch size (Limits.batchSize): one number, or one per connection id. */
  readonly batchSize: number | Readonly<Record<string, number>>;
  /** Allow different entity types in one batch (QBO's batch endpoint does; Xero's endpoints do not). Default false. */
  readonly mixEntities?: boolean;
}

export type HoldCode = 'contact_not_linked' | 'contact_pending' | 'link_invalid' | 'mapping_problem' | 'dependency_held' | 'dependency_missing' | 'duplicate' | 'cycle';

export interface HeldItem {
  readonly item: BatchItem;
  readonly code: HoldCode;
  /** What is wrong and what a person does about it. */
  readonly reason: string;
}

export interface PlannedBatch {
  readonly connectionId: string;
  /** Order within the connection: run batch 0, then 1, ...; a batch never depends on a later one. */
  readonly index: number;
  /** Dependency level: 0 contact uploads, 1 documents, 2 payments of documents in this run, ... */
  readonly level: number;
  /** The entity type of every item, or 'mixed' when mixEntities is on. */
  readonly entity: TransactionType | 'contact' | 'mixed';
  readonly items: readonly BatchItem[];
}

export interface ConnectionPlan {
  readonly connectionId: string;
  readonly batches: readonly PlannedBatch[];
}

export interface BatchPlan {
  readonly connections: readonly ConnectionPlan[];
  readonly held: readonly HeldItem[];
}

const PAYMENTS: ReadonlySet<string> = new Set(['payment', 'bill_payment']);
const minimumLevel = (entity: BatchItem['entity']): number => (entity === 'contact' ? 0 : PAYMENTS.has(entity) ? 2 : 1);

type Verdict = { readonly ok: true; readonly level: number } | { readonly ok: false; readonly code: HoldCode; readonly reason: string };

function sizeFor(batchSize: PlanBatchesInput['batchSize'], connectionId: string): number {
  const size = typeof batchSize === 'number' ? batchSize : batchSize[connectionId];
  if (size === undefined || !Number.isInteger(size) || size < 1) {
    throw new RangeError(`batchSize for connection ${connectionId} must be a whole number above 0 (the provider's Limits.batchSize), got ${String(size)}`);
  }
  return size;
}

const labelOf = (item: BatchItem): string => item.label ?? (item.entity === 'contact' ? `contact ${item.contactName}` : `${item.entity} ${item.id}`);

/**
 * Plans a sync run: groups ready items per connection, holds the ones that cannot go (with a
 * reason a person can act on), orders the rest by dependency (contact uploads, then documents,
 * then payments; anything that references an item of the same run goes in a later batch than
 * it) and splits each level by the provider's batch size. Input order is kept within a level.
 */
export function planBatches(input: PlanBatchesInput): BatchPlan {
  const key = (connectionId: string, id: string) => `${connectionId}\u0000${id}`;
  const links = new Map(input.links.map((l) => [key(l.connectionId, l.contactId), l] as const));
  const items = new Map<string, BatchItem>();
  const contactUploads = new Map<string, BatchItem>();
  const held: HeldItem[] = [];
  const order: BatchItem[] = [];
  for (const item of input.items) {
    const k = key(item.connectionId, item.id);
    if (items.has(k)) {
      held.push({ item, code: 'duplicate', reason: `${labelOf(item)} is listed twice in this run; it is sent once` });
      continue;
    }
    items.set(k, item);
    order.push(item);
    if (item.entity === 'contact') contactUploads.set(key(item.connectionId, item.contactId), item);
  }

  const verdicts = new Map<string, Verdict>();
  const visiting = new Set<string>();
  const judge = (item: BatchItem): Verdict => {
    const k = key(item.connectionId, item.id);
    const known = verdicts.get(k);
    if (known) return known;
    if (visiting.has(k)) return { ok: false, code: 'cycle', reason: `${labelOf(item)} is part of a circular reference; remove one of the references` };
    visiting.add(k);
    const verdict = decide(item);
    visiting.delete(k);
    verdicts.set(k, verdict);
    return verdict;
  };
  const waitFor = (dependency: BatchItem, label: string, levels: number[]): Verdict | null => {
    const verdict = judge(dependency);
    if (!verdict.ok) return { ok: false, code: verdict.code === 'cycle' ? 'cycle' : 'dependency_held', reason: verdict.code === 'cycle' ? verdict.reason : `Waits for ${label}, which is held: ${verdict.reason}` };
    levels.push(verdict.level + 1);
    return null;
  };
  const decide = (item: BatchItem): Verdict => {
    const problem = item.problems?.[0];
    if (problem) return { ok: false, code: 'mapping_problem', reason: `${problem.message}: ${problem.fix}` };
    const levels = [minimumLevel(item.entity)];
    if (item.entity !== 'contact') {
      const link = links.get(key(item.connectionId, item.contactId));
      const upload = contactUploads.get(key(item.connectionId, item.contactId));
      if (!(link?.state === 'linked' && link.remoteId)) {
        if (upload) {
          const waiting = waitFor(upload, `contact ${item.contactName}`, levels);
          if (waiting) return waiting;
        } else if (link?.state === 'invalid') {
          return { ok: false, code: 'link_invalid', reason: `Link invalid: ${link.reason ?? 'the remote contact is no longer usable'} (${item.contactName})` };
        } else if (link?.state === 'pending') {
          return { ok: false, code: 'contact_pending', reason: `Contact upload in progress: ${item.contactName} is being created; this item goes in the next run once it is linked` };
        } else {
          return { ok: false, code: 'contact_not_linked', reason: `Contact not linked: link or upload ${item.contactName}` };
        }
      }
    }
    for (const reference of item.references ?? []) {
      if (reference.remoteId) continue;
      const dependency = items.get(key(item.connectionId, reference.id));
      if (!dependency) {
        return { ok: false, code: 'dependency_missing', reason: `${reference.label} is not synced to this connection yet: mark it ready to sync (or fix its error) first` };
      }
      const waiting = waitFor(dependency, reference.label, levels);
      if (waiting) return waiting;
    }
    return { ok: true, level: Math.max(...levels) };
  };

  const ready = new Map<string, Map<number, BatchItem[]>>();
  for (const item of order) {
    const verdict = judge(item);
    if (!verdict.ok) {
      held.push({ item, code: verdict.code, reason: verdict.reason });
      continue;
    }
    const byLevel = ready.get(item.connectionId) ?? new Map<number, BatchItem[]>();
    ready.set(item.connectionId, byLevel);
    byLevel.set(verdict.level, [...(byLevel.get(verdict.level) ?? []), item]);
  }

  const connections: ConnectionPlan[] = [];
  for (const [connectionId, byLevel] of ready) {
    const size = sizeFor(input.batchSize, connectionId);
    const batches: PlannedBatch[] = [];
    for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
      const levelItems = byLevel.get(level) ?? [];
      const groups = new Map<string, BatchItem[]>();
      for (const item of levelItems) {
        const group = input.mixEntities ? 'mixed' : item.entity;
        groups.set(group, [...(groups.get(group) ?? []), item]);
      }
      for (const [entity, groupItems] of groups) {
        for (let start = 0; start < groupItems.length; start += size) {
          batches.push({ connectionId, index: batches.length, level, entity: entity as PlannedBatch['entity'], items: groupItems.slice(start, start + size) });
        }
      }
    }
    connections.push({ connectionId, batches });
  }
  return { connections, held };
}
