import { Inject, Injectable } from '@nestjs/common';
import { ConnectionSettings, type ConnectionSettingsView, DEFAULT_CONNECTION_SETTINGS } from '@ledgerlink/contract';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { type AuthContext, actorOf } from '../auth/auth.context.js';

/** Reads stored settings over the defaults; a stored value that no longer validates falls back to its default field by field. */
function readSettings(stored: Prisma.JsonValue): ConnectionSettings {
  const value = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  const merged: Record<string, unknown> = { ...DEFAULT_CONNECTION_SETTINGS };
  for (const key of Object.keys(ConnectionSettings.shape) as Array<keyof ConnectionSettings>) {
    const field = ConnectionSettings.shape[key].safeParse(value[key]);
    if (field.success) merged[key] = field.data;
  }
  return ConnectionSettings.parse(merged);
}

/** Per-connection settings (Connection.settings), workspace-scoped and audited. */
@Injectable()
export class SettingsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async get(auth: AuthContext, connectionId: string): Promise<ConnectionSettingsView> {
    const row = await this.prisma.connection.findFirst({ where: { id: connectionId, workspaceId: auth.workspaceId }, select: { settings: true } });
    if (!row) throw ApiErrors.notFound(`Connection ${connectionId}`);
    return { connectionId, settings: readSettings(row.settings) };
  }

  async save(auth: AuthContext, connectionId: string, settings: ConnectionSettings): Promise<ConnectionSettingsView> {
    const before = await this.get(auth, connectionId);
    const changed = (Object.keys(settings) as Array<keyof ConnectionSettings>).filter((k) => JSON.stringify(settings[k]) !== JSON.stringify(before.settings[k]));
    await this.prisma.$transaction([
      this.prisma.connection.updateMany({ where: { id: connectionId, workspaceId: auth.workspaceId }, data: { settings: settings as unknown as Prisma.InputJsonValue } }),
      this.prisma.auditLog.create({
        data: { workspaceId: auth.workspaceId, ...actorOf(auth), action: 'connection.settings_changed', entityType: 'connection', entityId: connectionId, details: { changed } },
      }),
    ]);
    return { connectionId, settings };
  }
}
