import { Controller, Get, Query } from '@nestjs/common';
import { type ActivityPage, type ActivityQuery, routes } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser } from '../auth/auth.decorators.js';
import { ActivityService } from './activity.service.js';

@Controller()
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Get(routes.listActivity.path)
  list(@CurrentUser() user: AuthContext, @Query(new ZodPipe(routes.listActivity.query, 'query')) query: ActivityQuery): Promise<ActivityPage> {
    return this.activity.list(user, query);
  }
}
