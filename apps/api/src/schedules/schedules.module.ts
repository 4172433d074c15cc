import { Module } from '@nestjs/common';
import { SchedulesProcessor } from './schedules.processor.js';
import { SchedulesService } from './schedules.service.js';

/** The worker side: keeps the per-connection repeatable pull jobs in step with the settings, and runs them. */
@Module({
  providers: [SchedulesService, SchedulesProcessor],
  exports: [SchedulesService],
})
export class SchedulesWorkerModule {}
