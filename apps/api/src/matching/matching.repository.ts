import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';

export const MATCHING_RUN_KIND = 'contact_matching';

export interface MatchingRunRow {
  readonly id: string;
  readonly connectionId: string;
  readonly state: string;
  readonly results: unknown;
}

export interface MatchingSummary {
  readonly autoLinked: number;
  readonly suggested: number;
  readonly unmatched: number;
  readonly error: string | null;
}

export interface LocalForMatching {
  readonly id: string;
  readonly data: unknown;
}

export interface RemoteForMatching {
  readonly remoteId: string;
  readonly status: string;
  readonly version: string | null;
  readonly data: unknown;
}

/** One candidate as stored in MatchSuggestion.reasons. */
export interface StoredCandidate {
  readonly remoteId: string;
  readonly score: number;
  readonly passes: boolean;
  readonly reasons: readonly string[];
}

export interface NewSuggestion {
  readonly contactId: string;
  readonly remoteId: string;
  readonly score: number;
  readonly cause: string;
  readonly explanation: string;
  readonly candidates: readonly StoredCandidate[];
}

export interface SuggestionRow {
  readonly id: string;
  readonly connectionId: string;
  readonly contactId: string;
  readonly remoteId: string;
  readonly score: number;
  readonly reasons: unknown;
  readonly cause: string;
  readonly explanation: string | null;
  readonly state: string;
  readonly createdAt: Date;
}

const RUN_SELECT = { id: true, connectionId: true, state: true, results: true } as const;
const SUGGESTION_SELECT = { id: true, connectionId: true, contactId: true, remoteId: true, score: true, reasons: true, cause: true, explanation: true, state: true, createdAt: true } as const;
/** Rows read per query when loading contacts for a run. */
const LOAD_PAGE = 5000;

/** Matching runs (SyncRun kind contact_matching), what a run reads, and MatchSuggestion rows; always scoped by workspace. */
@Injectable()
export class MatchingRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findConnection(workspaceId: string, connectionId: string): Promise<{ id: string; connectorId: string; displayName: string; status: string; enabled: boolean } | null> {
    return this.prisma.connection.findFirst({ where: { workspaceId, id: connectionId }, select: { id: true, connectorId: true, displayName: true, status: true, enabled: true } });
  }

  createRun(workspaceId: string, connectionId: string, trigger: 'manual' | 'api' | 'pull'): Promise<MatchingRunRow> {
    return this.prisma.syncRun.create({
      data: { workspaceId, connectionId, kind: MATCHING_RUN_KIND, trigger, state: 'queued', results: { autoLinked: 0, suggested: 0, unmatched: 0, error: null } },
      select: RUN_SELECT,
    });
  }

  findRun(workspaceId: string, runId: string, connectionId?: string): Promise<MatchingRunRow | null> {
    return this.prisma.syncRun.findFirst({ where: { id: runId, workspaceId, kind: MATCHING_RUN_KIND, ...(connectionId ? { connectionId } : {}) }, select: RUN_SELECT });
  }

  async markRunning(workspaceId: string, runId: string): Promise<void> {
    await this.prisma.syncRun.updateMany({ where: { id: runId, workspaceId }, data: { state: 'running', startedAt: new Date() } });
  }

  async finish(workspaceId: string, runId: string, summary: MatchingSummary, state: 'completed' | 'failed'): Promise<void> {
    const total = summary.autoLinked + summary.suggested + summary.unmatched;
    await this.prisma.syncRun.updateMany({
      where: { id: runId, workspaceId },
      data: { results: { ...summary }, total, succeeded: summary.autoLinked, state, finishedAt: new Date() },
    });
  }

  /** Local contacts of these kinds with no linked or pending link on the connection, read in pages. */
  async unlinkedLocals(workspaceId: string, connectionId: string, kinds: readonly string[]): Promise<LocalForMatching[]> {
    const linked = new Set((await this.activeLinks(workspaceId, connectionId)).map((l) => l.contactId));
    const out: LocalForMatching[] = [];
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.prisma.contact.findMany({
        where: { workspaceId, kind: { in: [...kinds] } },
        select: { id: true, data: true },
        orderBy: { id: 'asc' },
        take: LOAD_PAGE,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      });
      for (const row of rows) if (!linked.has(row.id)) out.push(row);
      if (rows.length < LOAD_PAGE) return out;
      cursor = rows[rows.length - 1]?.id;
    }
  }

  /** The connection's mirror of active remote contacts, read in pages. */
  async activeRemotes(workspaceId: string, connectionId: string, kinds: readonly string[]): Promise<RemoteForMatching[]> {
    const out: RemoteForMatching[] = [];
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.prisma.remoteContact.findMany({
        where: { workspaceId, connectionId, status: 'active', kind: { in: [...kinds] } },
        select: { id: true, remoteId: true, status: true, version: true, data: true },
        orderBy: { id: 'asc' },
        take: LOAD_PAGE,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      });
      for (const row of rows) out.push({ remoteId: row.remoteId, status: row.status, version: row.version, data: row.data });
      if (rows.length < LOAD_PAGE) return out;
      cursor = rows[rows.length - 1]?.id;
    }
  }

  /** Links that hold a remote contact on the connection (linked, or a create in flight). */
  async activeLinks(workspaceId: string, connectionId: string): Promise<{ contactId: string; remoteId: string }[]> {
    const rows = await this.prisma.contactLink.findMany({ where: { workspaceId, connectionId, state: { in: ['linked', 'pending'] } }, select: { contactId: true, remoteId: true } });
    return rows.flatMap((r) => (r.remoteId ? [{ contactId: r.contactId, remoteId: r.remoteId }] : []));
  }

  /** Pairs a person rejected: matching never proposes them again. */
  async rejectedPairs(workspaceId: string, connectionId: string): Promise<Set<string>> {
    const rows = await this.prisma.matchSuggestion.findMany({ where: { workspaceId, connectionId, state: 'rejected' }, select: { contactId: true, reasons: true } });
    const pairs = new Set<string>();
    for (const row of rows) for (const candidate of readCandidates(row.reasons)) pairs.add(pairKey(row.contactId, candidate.remoteId));
    return pairs;
  }

  /** Replaces the connection's pending suggestions with these, in one transaction. */
  async replacePending(workspaceId: string, connectionId: string, runId: string, suggestions: readonly NewSuggestion[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`suggestions:${connectionId}`}))`;
      await tx.matchSuggestion.deleteMany({ where: { workspaceId, connectionId, state: 'pending' } });
      if (suggestions.length === 0) return;
      await tx.matchSuggestion.createMany({
        data: suggestions.map((s) => ({
          workspaceId,
          connectionId,
          runId,
          contactId: s.contactId,
          remoteId: s.remoteId,
          score: s.score,
          cause: s.cause,
          explanation: s.explanation,
          reasons: s.candidates as unknown as Prisma.InputJsonValue,
        })),
      });
    });
  }

  async pending(workspaceId: string, connectionId: string, page: { readonly skip: number; readonly take: number }): Promise<{ rows: SuggestionRow[]; total: number }> {
    const where = { workspaceId, connectionId, state: 'pending' };
    const [rows, total] = await Promise.all([
      this.prisma.matchSuggestion.findMany({ where, select: SUGGESTION_SELECT, orderBy: [{ score: 'desc' }, { id: 'asc' }], skip: page.skip, take: page.take }),
      this.prisma.matchSuggestion.count({ where }),
    ]);
    return { rows, total };
  }

  findSuggestions(workspaceId: string, connectionId: string, ids: readonly string[]): Promise<SuggestionRow[]> {
    return this.prisma.matchSuggestion.findMany({ where: { workspaceId, connectionId, id: { in: [...ids] } }, select: SUGGESTION_SELECT });
  }

  mirrorRows(workspaceId: string, connectionId: string, remoteIds: readonly string[]): Promise<{ remoteId: string; displayName: string; email: string | null; status: string; version: string | null }[]> {
    if (remoteIds.length === 0) return Promise.resolve([]);
    return this.prisma.remoteContact.findMany({
      where: { workspaceId, connectionId, remoteId: { in: [...remoteIds] } },
      select: { remoteId: true, displayName: true, email: true, status: true, version: true },
    });
  }

  contactSummaries(workspaceId: string, ids: readonly string[]): Promise<{ id: string; externalId: string; kind: string; displayName: string; companyName: string | null; email: string | null; phone: string | null }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.prisma.contact.findMany({
      where: { workspaceId, id: { in: [...ids] } },
      select: { id: true, externalId: true, kind: true, displayName: true, companyName: true, email: true, phone: true },
    });
  }

  /** Marks a pending suggestion decided, inside a link write's transaction (or alone); false when it was no longer pending. */
  static async decide(
    tx: Prisma.TransactionClient,
    where: { workspaceId: string; connectionId: string; id: string },
    decision: { state: 'accepted' | 'rejected'; decidedBy: string; remoteId: string | null },
  ): Promise<boolean> {
    const updated = await tx.matchSuggestion.updateMany({
      where: { ...where, state: 'pending' },
      data: { state: decision.state, decidedBy: decision.decidedBy, decidedAt: new Date(), decidedRemoteId: decision.remoteId },
    });
    return updated.count === 1;
  }

  /** Rejects a suggestion and records it in the audit log; false when it was no longer pending. */
  async reject(where: { workspaceId: string; connectionId: string; id: string }, actor: { actorType: string; actorId: string }, contactId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const ok = await MatchingRepository.decide(tx, where, { state: 'rejected', decidedBy: actor.actorId, remoteId: null });
      if (!ok) return false;
      await tx.auditLog.create({
        data: {
          workspaceId: where.workspaceId,
          actorType: actor.actorType,
          actorId: actor.actorId,
          action: 'suggestion.rejected',
          entityType: 'contact',
          entityId: contactId,
          details: { connectionId: where.connectionId, suggestionId: where.id },
        },
      });
      return true;
    });
  }
}

export function pairKey(contactId: string, remoteId: string): string {
  return `${contactId}\u0000${remoteId}`;
}

/** The candidates stored in MatchSuggestion.reasons (tolerates malformed rows). */
export function readCandidates(value: unknown): StoredCandidate[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const c = item as Record<string, unknown>;
    if (typeof c.remoteId !== 'string') return [];
    return [{
      remoteId: c.remoteId,
      score: typeof c.score === 'number' ? c.score : 0,
      passes: c.passes === true,
      reasons: Array.isArray(c.reasons) ? c.reasons.filter((r): r is string => typeof r === 'string') : [],
    }];
  });
}

export function readMatchingSummary(results: unknown): MatchingSummary {
  const value = typeof results === 'object' && results !== null && !Array.isArray(results) ? (results as Record<string, unknown>) : {};
  const n = (k: string) => (typeof value[k] === 'number' ? value[k] : 0);
  return { autoLinked: n('autoLinked'), suggested: n('suggested'), unmatched: n('unmatched'), error: typeof value.error === 'string' ? value.error : null };
}
