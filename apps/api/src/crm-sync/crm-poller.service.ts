import { Injectable } from '@nestjs/common';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorHostService } from '../connector-host/connector-host.service.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { LinksRepository } from '../links/links.repository.js';
import { PullRepository } from '../pull/pull.repository.js';
import { CrmSyncRepository, type PollableConnection } from './crm-sync.repository.js';
import { CrmSyncService } from './crm-sync.service.js';

const PAGE_SIZE = 200;
const MAX_PAGES = 50;

/**
 * The change-feed poll (the `crm-poll` tick): in every workspace with a connected, enabled
 * connection whose connector declares `bidirectional` or `changeFeed` (a CRM), each connected,
 * enabled connection (the CRM and the accounting ones it is kept in step with) is read
 * incrementally from its stored pull checkpoint; each record read is mirrored and handed to the
 * propagation. Nothing is written when nothing changed.
 */
@Injectable()
export class CrmPoller {
  constructor(
    private readonly repository: CrmSyncRepository,
    private readonly registry: ConnectorRegistry,
    private readonly host: ConnectorHostService,
    private readonly pulls: PullRepository,
    private readonly links: LinksRepository,
    private readonly sync: CrmSyncService,
    private readonly logger: JsonLogger,
  ) {}

  /** The connections the tick reads. */
  async pollable(): Promise<PollableConnection[]> {
    const connections = await this.repository.pollableConnections();
    const syncing = new Set(
      connections
        .filter((c) => {
          const capabilities = this.registry.find(c.connectorId)?.definition.capabilities;
          return capabilities?.bidirectional === true || capabilities?.changeFeed === true;
        })
        .map((c) => c.workspaceId),
    );
    return connections.filter((c) => syncing.has(c.workspaceId) && this.registry.find(c.connectorId)?.definition.capabilities.read === true);
  }

  async tick(): Promise<number> {
    let read = 0;
    for (const connection of await this.pollable()) {
      try {
        read += await this.poll(connection);
      } catch (error) {
        this.logger.warn('crm sync poll of a connection failed; the next tick tries again', { connectionId: connection.id, error: (error as Error).message });
      }
    }
    return read;
  }

  private async poll({ id: connectionId, workspaceId }: PollableConnection): Promise<number> {
    const open = await this.host.open(workspaceId, connectionId);
    let read = 0;
    for (const kind of open.connector.definition.capabilities.contactKinds) {
      let checkpoint = await this.pulls.checkpoint(workspaceId, connectionId, kind);
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await open.session.contacts.list({ kind, pageSize: PAGE_SIZE, ...(checkpoint ? { checkpoint } : {}) });
        for (const remote of result.items) {
          // A read that started before one of our writes landed must not roll the mirror back.
          const known = await this.repository.mirrorUpdatedAt(workspaceId, connectionId, remote.id);
          if (known !== null && remote.updatedAt !== undefined && Date.parse(remote.updatedAt) < known.getTime()) continue;
          await this.links.mirror(workspaceId, connectionId, remote);
          await this.sync.propagate(workspaceId, connectionId, remote.id);
        }
        read += result.items.length;
        checkpoint = result.checkpoint;
        await this.pulls.saveCheckpoint(workspaceId, connectionId, kind, checkpoint);
        if (!result.hasMore) break;
      }
    }
    return read;
  }
}
