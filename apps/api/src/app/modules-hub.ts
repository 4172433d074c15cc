import type { DynamicModule, Type } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module.js';
import { EventsModule, EventsWorkerModule } from '../events/events.module.js';
import { InboundModule, InboundWorkerModule } from '../inbound/inbound.module.js';
import { MappingModule } from '../mapping/mapping.module.js';
import { SchedulesWorkerModule } from '../schedules/schedules.module.js';
import { SettingsModule } from '../settings/settings.module.js';

/** Field mappings, CSV import, activity, settings and schedules, webhooks, metrics (HTTP side). Listed in AppModule. */
export const hubHttpModules: Array<Type | DynamicModule> = [MappingModule, SettingsModule, ActivityModule, InboundModule, EventsModule];
/** The same features' Bull processors. */
export const hubWorkerModules: Array<Type | DynamicModule> = [InboundWorkerModule, SchedulesWorkerModule, EventsWorkerModule];
