import { Injectable } from '@nestjs/common';
import { Contact, RemoteStatus } from '@ledgerlink/connector-sdk';
import { type LocalContactInput, matchContacts, type RemoteContactInput } from '@ledgerlink/core';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { linkFromMatch, MatchLinkRefused } from '../links/link-from-match.js';
import { LinksRepository } from '../links/links.repository.js';
import type { Attempt } from '../queue/queue.decorators.js';
import type { MatchContactsPayload } from '../queue/queues.js';
import { MatchingRepository, type MatchingSummary, type NewSuggestion, pairKey } from './matching.repository.js';

/**
 * The matching job: loads the connection's unlinked local contacts of the connector's kinds and
 * the active remote mirror, asks core's matchContacts, links the certain matches (`linkedBy:
 * 'auto'`, with score and reasons in the LinkEvent) and replaces the connection's pending
 * suggestions with the rest. Pairs a person rejected are never proposed again.
 */
@Injectable()
export class MatchingRunner {
  constructor(
    private readonly matching: MatchingRepository,
    private readonly links: LinksRepository,
    private readonly registry: ConnectorRegistry,
    private readonly logger: JsonLogger,
  ) {}

  async run(payload: MatchContactsPayload, attempt: Attempt): Promise<void> {
    const { workspaceId, connectionId, syncRunId } = payload;
    const run = await this.matching.findRun(workspaceId, syncRunId, connectionId);
    if (!run || run.state === 'completed' || run.state === 'failed') return;
    const connection = await this.matching.findConnection(workspaceId, connectionId);
    const connector = connection ? this.registry.find(connection.connectorId) : undefined;
    if (!connection || !connector) {
      await this.matching.finish(workspaceId, syncRunId, { autoLinked: 0, suggested: 0, unmatched: 0, error: 'The connection or its connector is no longer there.' }, 'failed');
      return;
    }
    await this.matching.markRunning(workspaceId, syncRunId);
    try {
      const summary = await this.match(workspaceId, connectionId, syncRunId, connector.definition.capabilities.contactKinds, connector.definition.displayName);
      await this.matching.finish(workspaceId, syncRunId, summary, 'completed');
      this.logger.info('matching finished', { syncRunId, connectionId, autoLinked: summary.autoLinked, suggested: summary.suggested, unmatched: summary.unmatched });
    } catch (error) {
      if (!attempt.isLast) throw error;
      await this.matching.finish(workspaceId, syncRunId, { autoLinked: 0, suggested: 0, unmatched: 0, error: `Matching failed (${(error as Error).message}): run it again.` }, 'failed');
    }
  }

  private async match(workspaceId: string, connectionId: string, runId: string, kinds: readonly string[], provider: string): Promise<MatchingSummary> {
    const [localRows, remoteRows, existing, rejected] = await Promise.all([
      this.matching.unlinkedLocals(workspaceId, connectionId, kinds),
      this.matching.activeRemotes(workspaceId, connectionId, kinds),
      this.matching.activeLinks(workspaceId, connectionId),
      this.matching.rejectedPairs(workspaceId, connectionId),
    ]);
    const locals: LocalContactInput[] = localRows.flatMap((row) => {
      const parsed = Contact.safeParse(row.data);
      return parsed.success ? [{ id: row.id, contact: parsed.data }] : [];
    });
    const remotes: RemoteContactInput[] = remoteRows.flatMap((row) => {
      const parsed = Contact.safeParse(row.data);
      const status = RemoteStatus.safeParse(row.status);
      return parsed.success && status.success ? [{ id: row.remoteId, status: status.data, contact: parsed.data }] : [];
    });
    const names = new Map(remotes.map((r) => [r.id, r.contact.displayName ?? null]));
    const versions = new Map(remoteRows.map((r) => [r.remoteId, r.version]));
    const result = matchContacts({ locals, remotes, existingLinks: existing.map((l) => ({ localId: l.contactId, remoteId: l.remoteId })) });

    let autoLinked = 0;
    const suggestions: NewSuggestion[] = [];
    for (const auto of result.autoLinks) {
      if (rejected.has(pairKey(auto.localId, auto.remoteId))) continue;
      const reason = `Matched automatically with ${provider} (score ${auto.score.toFixed(2)}): ${auto.reasons.join('; ')}`;
      try {
        await linkFromMatch(
          this.links,
          { workspaceId, connectionId, contactId: auto.localId },
          { remoteId: auto.remoteId, remoteName: names.get(auto.remoteId) ?? null, remoteVersion: versions.get(auto.remoteId) ?? null, method: 'auto', score: auto.score, reason },
          { actorType: 'system', actorId: null },
        );
        autoLinked += 1;
      } catch (error) {
        if (!(error instanceof MatchLinkRefused)) throw error;
        this.logger.info('automatic link skipped', { connectionId, contactId: auto.localId, remoteId: auto.remoteId, why: error.message });
      }
    }
    for (const suggestion of result.suggestions) {
      const candidates = suggestion.candidates.filter((c) => !rejected.has(pairKey(suggestion.localId, c.remoteId)));
      const best = candidates[0];
      if (!best) continue;
      suggestions.push({
        contactId: suggestion.localId,
        remoteId: best.remoteId,
        score: best.score,
        cause: suggestion.cause,
        explanation: suggestion.explanation,
        candidates: candidates.map((c) => ({ remoteId: c.remoteId, score: c.score, passes: c.passes, reasons: [...c.reasons] })),
      });
    }
    await this.matching.replacePending(workspaceId, connectionId, runId, suggestions);
    return { autoLinked, suggested: suggestions.length, unmatched: locals.length - autoLinked - suggestions.length, error: null };
  }
}
