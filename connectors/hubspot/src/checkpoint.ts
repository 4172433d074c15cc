import { ConnectorErrors } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/**
 * Where a contact read got to, as a keyset over (`lastmodifieddate`, id): every contact modified
 * before `since` (epoch ms) was delivered, and of those modified exactly at `since`, every one with
 * an id up to `lastId` (none when absent). The next page first drains the rest of the `since`
 * instant in id order, then reads later changes in `lastmodifieddate` order, so contacts sharing a
 * millisecond (a bulk import) are never lost or stuck, and no query pages past HubSpot's
 * 10,000-result search window.
 */
export interface ListCheckpoint {
  readonly since?: number;
  readonly lastId?: string;
}

const PREFIX = 'hubspot-contacts:v2:';
const Shape = z.object({ since: z.number().int().nonnegative().optional(), lastId: z.string().regex(/^\d+$/).optional() });

export function encodeCheckpoint(checkpoint: ListCheckpoint): string {
  return PREFIX + Buffer.from(JSON.stringify({ ...(checkpoint.since !== undefined ? { since: checkpoint.since } : {}), ...(checkpoint.lastId !== undefined ? { lastId: checkpoint.lastId } : {}) }), 'utf8').toString('base64url');
}

/** Refuses a checkpoint this connector did not produce with `validation` on field `checkpoint`. */
export function decodeCheckpoint(value: string): ListCheckpoint {
  const refuse = () => ConnectorErrors.validation('checkpoint', 'This checkpoint was not produced by the HubSpot connector; start a full read without one');
  if (!value.startsWith(PREFIX)) throw refuse();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const parsed = Shape.safeParse(json);
  if (!parsed.success) throw refuse();
  if (parsed.data.lastId !== undefined && parsed.data.since === undefined) throw refuse();
  return { ...(parsed.data.since !== undefined ? { since: parsed.data.since } : {}), ...(parsed.data.lastId !== undefined ? { lastId: parsed.data.lastId } : {}) };
}
