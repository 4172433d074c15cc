import { z } from 'zod';

/** What a host app's key may do: `admin` changes data, `viewer` only reads. */
export const ApiKeyRole = z.enum(['admin', 'viewer']);
export type ApiKeyRole = z.infer<typeof ApiKeyRole>;

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  role: ApiKeyRole,
  /** The first characters of the key (e.g. `llk_3fA9x2`), to tell keys apart; never the secret. */
  prefix: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const CreateApiKeyRequest = z.object({
  name: z.string().trim().min(1, 'must not be empty: name the app that will use the key').max(100),
  role: ApiKeyRole.default('admin'),
});
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequest>;

/** The created key: `key` is the secret, shown this once only (send it as `Authorization: Bearer <key>`). */
export const CreatedApiKey = ApiKeyView.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
