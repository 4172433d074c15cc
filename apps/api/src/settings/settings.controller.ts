import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { type ConnectionSettings, type ConnectionSettingsView, routes } from '@ledgerlink/contract';
import { ZodPipe } from '../common/zod-validation.pipe.js';
import type { AuthContext } from '../auth/auth.context.js';
import { CurrentUser, RequireRole } from '../auth/auth.decorators.js';
import { SettingsService } from './settings.service.js';

@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get(routes.getConnectionSettings.path)
  get(@CurrentUser() user: AuthContext, @Param(new ZodPipe(routes.getConnectionSettings.params, 'path')) params: { id: string }): Promise<ConnectionSettingsView> {
    return this.settings.get(user, params.id);
  }

  @Put(routes.saveConnectionSettings.path)
  @RequireRole('admin')
  save(
    @CurrentUser() user: AuthContext,
    @Param(new ZodPipe(routes.saveConnectionSettings.params, 'path')) params: { id: string },
    @Body(new ZodPipe(routes.saveConnectionSettings.body)) body: ConnectionSettings,
  ): Promise<ConnectionSettingsView> {
    return this.settings.save(user, params.id, body);
  }
}
