import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ContactKind, isConnectorError, type RemoteContact } from '@ledgerlink/connector-sdk';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectionUnusableError, ConnectorHostService, type OpenConnection } from '../connector-host/connector-host.service.js';
import { followRemoteInactive } from '../links/follow-remote-inactive.js';
import { LinksRepository } from '../links/links.repository.js';
import { MatchingScheduler } from '../matching/matching-scheduler.service.js';
import type { Attempt } from '../queue/queue.decorators.js';
import type { PullContactsPayload } from '../queue/queues.js';
import { PullRepository, type PullSummary, readSummary } from './pull.repository.js';
import { REMOTE_CHANGE_LISTENER, type RemoteChangeListener } from './remote-change-listener.js';

const PAGE_SIZE = 200;
/** Stops a connector whose checkpoint never settles from looping forever. */
const MAX_PAGES_PER_KIND = 10_000;
const RETRYABLE = new Set(['rate_limited', 'transient', 'uncertain', 'auth_expired', 'stale']);

/**
 * The pull job: pages through the connector's contacts.list for each kind it supports into the
 * RemoteContact mirror, storing the checkpoint after every page (later runs are incremental).
 * A linked remote contact that comes back merged, inactive, archived or deleted changes its link
 * through core's transitionLink: a merge with a survivor re-points it, anything else invalidates it.
 * A successful pull is followed by a matching run.
 */
@Injectable()
export class PullRunner {
  constructor(
    private readonly pulls: PullRepository,
    private readonly links: LinksRepository,
    private readonly host: ConnectorHostService,
    private readonly logger: JsonLogger,
    /** Runs matching after each successful pull (absent where no queue is wired, e.g. a runner built by hand). */
    @Optional() private readonly matching?: MatchingScheduler,
    /** The bidirectional CRM sync, told about each stored remote contact (absent without the crm-sync module). */
    @Optional() @Inject(REMOTE_CHANGE_LISTENER) private readonly remoteChanges?: RemoteChangeListener,
  ) {}

  async run(payload: PullContactsPayload, attempt: Attempt): Promise<void> {
    const { workspaceId, connectionId, syncRunId } = payload;
    const run = await this.pulls.findRun(workspaceId, syncRunId, connectionId);
    if (!run || run.state === 'completed' || run.state === 'failed') return;
    await this.pulls.markRunning(workspaceId, syncRunId);
    // Counts carry over from earlier attempts of the same run.
    let summary: PullSummary = { ...readSummary(run.results), error: null };

    let open: OpenConnection;
    try {
      open = await this.host.open(workspaceId, connectionId);
    } catch (error) {
      if (!(error instanceof ConnectionUnusableError) && !attempt.isLast) throw error;
      await this.pulls.save(workspaceId, syncRunId, { ...summary, error: (error as Error).message }, 'failed');
      return;
    }
    const provider = open.connector.definition.displayName;
    try {
      for (const kind of open.connector.definition.capabilities.contactKinds) {
        let checkpoint = await this.pulls.checkpoint(workspaceId, connectionId, kind);
        for (let page = 0; page < MAX_PAGES_PER_KIND; page += 1) {
          const result = await open.session.contacts.list({ kind, pageSize: PAGE_SIZE, ...(checkpoint ? { checkpoint } : {}) });
          let changed = 0;
          for (const remote of result.items) {
            await this.links.mirror(workspaceId, connectionId, remote);
            changed += await this.followRemote(workspaceId, connectionId, kind, remote, provider);
            await this.remoteChanges?.remoteContactStored(workspaceId, connectionId, remote.id).catch((error: unknown) => {
              this.logger.warn('the CRM sync could not take a pulled change; the next change of this contact carries it', { connectionId, remoteId: remote.id, error: (error as Error).message });
            });
          }
          checkpoint = result.checkpoint;
          await this.pulls.saveCheckpoint(workspaceId, connectionId, kind, checkpoint);
          summary = { ...summary, fetched: summary.fetched + result.items.length, linksChanged: summary.linksChanged + changed };
          await this.pulls.save(workspaceId, syncRunId, summary);
          if (!result.hasMore) break;
        }
      }
    } catch (error) {
      const retryable = !isConnectorError(error) || RETRYABLE.has(error.kind);
      if (retryable && !attempt.isLast) throw error;
      const message = isConnectorError(error) && error.kind === 'auth_revoked' ? error.message : `${provider} failed while reading contacts (${(error as Error).message}): refresh again later.`;
      await this.pulls.save(workspaceId, syncRunId, { ...summary, error: message }, 'failed');
      return;
    }
    await this.pulls.save(workspaceId, syncRunId, summary, 'completed');
    this.logger.info('pull finished', { syncRunId, connectionId, fetched: summary.fetched, linksChanged: summary.linksChanged });
    if (this.matching) {
      try {
        await this.matching.enqueue(workspaceId, connectionId, 'pull');
      } catch (error) {
        this.logger.warn('matching after the pull could not start; run it from the console', { syncRunId, connectionId, error: (error as Error).message });
      }
    }
  }

  /** Updates the links that point at a remote contact that is no longer active. Returns how many changed. */
  private async followRemote(workspaceId: string, connectionId: string, kind: ContactKind, remote: RemoteContact, provider: string): Promise<number> {
    if (remote.status === 'active') return 0;
    return followRemoteInactive(this.links, {
      workspaceId,
      connectionId,
      kind,
      provider,
      remoteId: remote.id,
      displayName: remote.contact.displayName,
      reason: remote.status,
      survivorId: remote.mergedIntoId,
    });
  }
}
