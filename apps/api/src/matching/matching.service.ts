import { Injectable } from '@nestjs/common';
import {
  ContactKind,
  type MatchingRunStatus,
  type MatchSuggestionView,
  RemoteStatus,
  type SuggestionDecision,
  type SuggestionDecisionResult,
  type SuggestionList,
} from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { linkFromMatch, MatchLinkRefused } from '../links/link-from-match.js';
import { LinksRepository } from '../links/links.repository.js';
import { MatchingRepository, type MatchingRunRow, readCandidates, readMatchingSummary, type SuggestionRow } from './matching.repository.js';
import { MatchingScheduler } from './matching-scheduler.service.js';
import { assertUsable } from '../connections/usable.js';

/** Matching on demand, its runs, and the review queue of suggestions (accept links, reject remembers). */
@Injectable()
export class MatchingService {
  constructor(
    private readonly repository: MatchingRepository,
    private readonly scheduler: MatchingScheduler,
    private readonly links: LinksRepository,
  ) {}

  async start(auth: AuthContext, connectionId: string): Promise<MatchingRunStatus> {
    const connection = await this.connection(auth, connectionId);
    assertUsable(connection, 'matching');
    let run: MatchingRunRow;
    try {
      run = await this.scheduler.enqueue(auth.workspaceId, connectionId, auth.via === 'api_key' ? 'api' : 'manual');
    } catch {
      throw ApiErrors.unavailable('The job queue (Redis) is not answering, so matching could not start: try again in a moment.');
    }
    return toRunStatus(run);
  }

  async run(auth: AuthContext, connectionId: string, runId: string): Promise<MatchingRunStatus> {
    const run = await this.repository.findRun(auth.workspaceId, runId, connectionId);
    if (!run) throw ApiErrors.notFound(`Matching run ${runId}`);
    return toRunStatus(run);
  }

  async list(auth: AuthContext, connectionId: string, page: { page: number; pageSize: number }): Promise<SuggestionList> {
    await this.connection(auth, connectionId);
    const { rows, total } = await this.repository.pending(auth.workspaceId, connectionId, { skip: (page.page - 1) * page.pageSize, take: page.pageSize });
    const remoteIds = [...new Set(rows.flatMap((r) => readCandidates(r.reasons).map((c) => c.remoteId)))];
    const [contacts, mirror] = await Promise.all([
      this.repository.contactSummaries(auth.workspaceId, [...new Set(rows.map((r) => r.contactId))]),
      this.repository.mirrorRows(auth.workspaceId, connectionId, remoteIds),
    ]);
    const byContact = new Map(contacts.map((c) => [c.id, c]));
    const byRemote = new Map(mirror.map((m) => [m.remoteId, m]));
    const items = rows.flatMap((row): MatchSuggestionView[] => {
      const contact = byContact.get(row.contactId);
      if (!contact) return [];
      return [
        {
          id: row.id,
          connectionId: row.connectionId,
          contact: { ...contact, kind: ContactKind.catch('customer').parse(contact.kind) },
          cause: causeOf(row.cause),
          explanation: row.explanation,
          score: row.score,
          candidates: readCandidates(row.reasons).map((c) => {
            const remote = byRemote.get(c.remoteId);
            return {
              remoteId: c.remoteId,
              name: remote?.displayName ?? c.remoteId,
              email: remote?.email ?? null,
              status: RemoteStatus.catch('inactive').parse(remote?.status ?? 'deleted'),
              score: c.score,
              passes: c.passes,
              reasons: [...c.reasons],
            };
          }),
          createdAt: row.createdAt.toISOString(),
        },
      ];
    });
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** Each decision on its own: accepted ones link, rejected ones are remembered; a refusal says why. */
  async decide(auth: AuthContext, connectionId: string, decisions: readonly SuggestionDecision[]): Promise<{ results: SuggestionDecisionResult[] }> {
    const connection = await this.connection(auth, connectionId);
    const found = new Map((await this.repository.findSuggestions(auth.workspaceId, connectionId, decisions.map((d) => d.suggestionId))).map((s) => [s.id, s]));
    const results: SuggestionDecisionResult[] = [];
    for (const decision of decisions) {
      const suggestion = found.get(decision.suggestionId);
      const refuse = (error: string): SuggestionDecisionResult => ({ suggestionId: decision.suggestionId, ok: false, state: null, remoteId: null, error });
      if (!suggestion) {
        results.push(refuse(`There is no suggestion ${decision.suggestionId} on the ${connection.displayName} connection: reload the review list.`));
      } else if (suggestion.state !== 'pending') {
        results.push(refuse(`This suggestion was already ${suggestion.state}.`));
      } else if (decision.action === 'reject') {
        const ok = await this.repository.reject({ workspaceId: auth.workspaceId, connectionId, id: suggestion.id }, actorOf(auth), suggestion.contactId);
        results.push(ok ? { suggestionId: suggestion.id, ok: true, state: 'rejected', remoteId: null, error: null } : refuse('This suggestion was decided meanwhile.'));
      } else {
        results.push(await this.accept(auth, connection.displayName, suggestion, decision.remoteId));
      }
    }
    return { results };
  }

  private async accept(auth: AuthContext, provider: string, suggestion: SuggestionRow, chosen: string | undefined): Promise<SuggestionDecisionResult> {
    const remoteId = chosen ?? suggestion.remoteId;
    const refuse = (error: string): SuggestionDecisionResult => ({ suggestionId: suggestion.id, ok: false, state: null, remoteId: null, error });
    const candidate = readCandidates(suggestion.reasons).find((c) => c.remoteId === remoteId);
    if (!candidate) return refuse(`Id ${remoteId} is not one of this suggestion's candidates: pick one of them, or link the contact by hand.`);
    const [remote] = await this.repository.mirrorRows(auth.workspaceId, suggestion.connectionId, [remoteId]);
    if (!remote) return refuse(`The ${provider} contact Id ${remoteId} is no longer in the mirror: refresh the connection and run matching again.`);
    if (remote.status !== 'active') return refuse(`The ${provider} contact '${remote.displayName}' (Id ${remoteId}) is ${remote.status} there: pick another candidate.`);
    const actor = actorOf(auth);
    const who = auth.via === 'api_key' ? `API key "${auth.name}"` : auth.name;
    try {
      await linkFromMatch(
        this.links,
        { workspaceId: auth.workspaceId, connectionId: suggestion.connectionId, contactId: suggestion.contactId },
        {
          remoteId,
          remoteName: remote.displayName,
          remoteVersion: remote.version,
          method: 'suggestion',
          score: candidate.score,
          reason: `Suggestion accepted by ${who} (score ${candidate.score.toFixed(2)}): ${candidate.reasons.join('; ')}`,
        },
        actor,
        async (tx) => {
          const ok = await MatchingRepository.decide(tx, { workspaceId: auth.workspaceId, connectionId: suggestion.connectionId, id: suggestion.id }, { state: 'accepted', decidedBy: actor.actorId, remoteId });
          if (!ok) throw new MatchLinkRefused('this suggestion was decided meanwhile');
        },
      );
    } catch (error) {
      if (error instanceof MatchLinkRefused) return refuse(`Not linked: ${error.message}.`);
      throw error;
    }
    return { suggestionId: suggestion.id, ok: true, state: 'accepted', remoteId, error: null };
  }

  private async connection(auth: AuthContext, connectionId: string) {
    const connection = await this.repository.findConnection(auth.workspaceId, connectionId);
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    return connection;
  }
}

function causeOf(cause: string): MatchSuggestionView['cause'] {
  return cause === 'ambiguous' || cause === 'contested' ? cause : 'uncertain';
}

function toRunStatus(run: MatchingRunRow): MatchingRunStatus {
  const summary = readMatchingSummary(run.results);
  const state = run.state === 'running' || run.state === 'completed' || run.state === 'failed' ? run.state : 'queued';
  return { runId: run.id, connectionId: run.connectionId, state, ...summary };
}
