import type { DynamicModule, Type } from '@nestjs/common';
import { CrmSyncModule, CrmSyncWorkerModule } from '../crm-sync/crm-sync.module.js';

/** Bidirectional CRM sync: the propagation service (for webhooks and the pull). Listed in AppModule. */
export const crmHttpModules: Array<Type | DynamicModule> = [CrmSyncModule];
/** The change-feed poll tick and the writes to linked connections (Bull processors). */
export const crmWorkerModules: Array<Type | DynamicModule> = [CrmSyncModule, CrmSyncWorkerModule];
