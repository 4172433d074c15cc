import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ActivityController } from './activity.controller.js';
import { ActivityService } from './activity.service.js';

/** GET /api/v1/activity: the workspace's audit trail. */
@Module({ imports: [AuthModule], controllers: [ActivityController], providers: [ActivityService] })
export class ActivityModule {}
