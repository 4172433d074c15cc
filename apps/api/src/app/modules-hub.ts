import type { DynamicModule, Type } from '@nestjs/common';

/** Field mappings, CSV import, activity, settings and schedules, webhooks, metrics (HTTP side). Listed in AppModule. */
export const hubHttpModules: Array<Type | DynamicModule> = [];
/** The same features' Bull processors. */
export const hubWorkerModules: Array<Type | DynamicModule> = [];
