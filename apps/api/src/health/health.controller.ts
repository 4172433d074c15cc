import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type Health, type Liveness, routes } from '@ledgerlink/contract';
import { Public } from '../auth/auth.decorators.js';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database and Redis answer, 503 (same body) when either does not. */
  @Public()
  @Get(routes.liveness.path)
  live(): Liveness {
    return this.health.live();
  }

  @Public()
  @Get(routes.health.path)
  async check(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health = await this.health.check();
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
