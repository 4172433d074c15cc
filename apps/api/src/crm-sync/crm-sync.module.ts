import { Global, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConnectorHostModule } from '../connector-host/connector-host.module.js';
import { JsonLogger } from '../common/json-logger.js';
import { LinksRepository } from '../links/links.repository.js';
import { PullRepository } from '../pull/pull.repository.js';
import { REMOTE_CHANGE_LISTENER } from '../pull/remote-change-listener.js';
import { CrmPoller } from './crm-poller.service.js';
import { CrmSyncProcessor } from './crm-sync.processor.js';
import { CrmSyncQueue, crmPollIntervalMs } from './crm-sync.queue.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { CrmSyncService } from './crm-sync.service.js';
import { CrmWriteRunner } from './crm-write-runner.service.js';

/**
 * The propagation (CrmSyncService.propagateRemoteChange, for webhooks and the pull) on both the
 * HTTP and the worker side. Global so the pull runner and the inbound webhooks find it.
 */
@Global()
@Module({
  providers: [CrmSyncRepository, CrmSyncQueue, CrmSyncService, { provide: REMOTE_CHANGE_LISTENER, useExisting: CrmSyncService }],
  exports: [CrmSyncService, CrmSyncQueue, CrmSyncRepository, REMOTE_CHANGE_LISTENER],
})
export class CrmSyncModule {}

/** Installs the repeatable poll tick when the worker starts. */
@Injectable()
export class CrmPollScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly queue: CrmSyncQueue,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const everyMs = crmPollIntervalMs();
    try {
      await this.queue.schedulePoll(everyMs);
      this.logger.info('crm sync poll scheduled', { everyMs });
    } catch (error) {
      this.logger.error('crm sync poll could not be scheduled (Redis); restart the worker once Redis answers', { error: (error as Error).message });
    }
  }
}

/** The worker side: the poll tick and the writes to linked connections. */
@Module({
  imports: [ConnectorHostModule],
  providers: [PullRepository, LinksRepository, CrmPoller, CrmWriteRunner, CrmSyncProcessor, CrmPollScheduler],
})
export class CrmSyncWorkerModule {}
