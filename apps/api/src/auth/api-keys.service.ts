import { Injectable } from '@nestjs/common';
import { type ApiKeyRole, type ApiKeyView, type CreatedApiKey } from '@ledgerlink/contract';
import { ApiErrors } from '../common/api-error.js';
import { randomToken, sha256Hex } from '../common/hashing.js';
import { JsonLogger } from '../common/json-logger.js';
import type { AuthContext } from './auth.context.js';
import { type ApiKeyRow, ApiKeysRepository } from './api-keys.repository.js';

/** Every key starts with this, so it is recognisable (and findable by secret scanners). */
export const API_KEY_PREFIX = 'llk_';
/** How much of the key people see: `llk_` and 8 more characters. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 8;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly logger: JsonLogger,
  ) {}

  async create(auth: AuthContext, name: string, role: ApiKeyRole): Promise<CreatedApiKey> {
    const key = `${API_KEY_PREFIX}${randomToken(30)}`;
    const row = await this.repository.create({ workspaceId: auth.workspaceId, name, role, prefix: key.slice(0, SHOWN_LENGTH), hash: sha256Hex(key), createdBy: auth.userId });
    this.logger.info('api key created', { workspaceId: auth.workspaceId, apiKeyId: row.id, prefix: row.prefix, role });
    return { ...toView(row), key };
  }

  async list(auth: AuthContext): Promise<ApiKeyView[]> {
    return (await this.repository.list(auth.workspaceId)).map(toView);
  }

  async revoke(auth: AuthContext, id: string): Promise<ApiKeyView> {
    const row = await this.repository.find(auth.workspaceId, id);
    if (!row) throw ApiErrors.notFound(`API key ${id}`);
    if (!row.revokedAt) await this.repository.revoke(auth.workspaceId, id, auth.userId);
    const after = await this.repository.find(auth.workspaceId, id);
    return toView(after ?? row);
  }

  /**
   * The caller behind `Authorization: Bearer <key>`. Refusals name the problem: not a Ledgerlink
   * key, unknown, or revoked.
   */
  async authenticate(key: string): Promise<AuthContext> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) {
      throw ApiErrors.unauthorized(`The Authorization header does not hold a Ledgerlink API key (they start with "${API_KEY_PREFIX}"): create one with POST /api/v1/api-keys.`);
    }
    const row = await this.repository.findByHash(sha256Hex(key));
    if (!row) throw ApiErrors.unauthorized('This API key is not known (it may have been mistyped or come from another Ledgerlink): create a new one with POST /api/v1/api-keys.');
    if (row.revokedAt) {
      throw ApiErrors.unauthorized(`This API key (${row.prefix}…, "${row.name}") was revoked on ${row.revokedAt.toISOString()}: create a new one with POST /api/v1/api-keys.`);
    }
    await this.repository.touch(row.id, new Date());
    return {
      via: 'api_key',
      sessionId: '',
      userId: row.id,
      email: '',
      name: row.name,
      role: row.role === 'viewer' ? 'viewer' : 'admin',
      workspaceId: row.workspaceId,
      workspaceName: row.workspaceName,
      csrfToken: null,
    };
  }
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role === 'viewer' ? 'viewer' : 'admin',
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
