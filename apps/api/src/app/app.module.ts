import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ConnectionsModule } from '../connections/connections.module.js';
import { ConnectorsModule } from '../connectors/connectors.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { HealthModule } from '../health/health.module.js';
import { OpenApiModule } from '../openapi/openapi.module.js';
import { QueueModule } from '../queue/queue.module.js';
import { SeedModule } from '../seed/seed.module.js';
import { UploadsWorkerModule } from '../uploads/uploads-worker.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { LinksModule } from '../links/links.module.js';
import { PullModule } from '../pull/pull.module.js';
import { PullWorkerModule } from '../pull/pull-worker.module.js';
import { MatchingModule } from '../matching/matching.module.js';
import { MatchingWorkerModule } from '../matching/matching-worker.module.js';
import { type Runtime, RuntimeModule } from './runtime.module.js';
import { transactionHttpModules, transactionWorkerModules } from './modules-transactions.js';
import { hubHttpModules, hubWorkerModules } from './modules-hub.js';
import { crmHttpModules, crmWorkerModules } from './modules-crm.js';

/** The HTTP API, the Bull processors, or both, over the same runtime. */
@Module({})
export class AppModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    const http = runtime.role !== 'worker';
    const work = runtime.role !== 'api';
    return {
      module: AppModule,
      imports: [
        RuntimeModule.forRoot(runtime),
        QueueModule.forRoot({ redisUrl: runtime.config.redisUrl, prefix: runtime.config.queuePrefix }),
        ...(http ? [HealthModule, AuthModule, ConnectorsModule, ConnectionsModule, ContactsModule, UploadsModule, LinksModule, PullModule, MatchingModule, ...transactionHttpModules, ...hubHttpModules, ...crmHttpModules, OpenApiModule, SeedModule] : []),
        ...(work ? [UploadsWorkerModule, PullWorkerModule, MatchingWorkerModule, ...transactionWorkerModules, ...hubWorkerModules, ...crmWorkerModules] : []),
      ],
    };
  }
}
