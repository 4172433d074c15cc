import { ConnectorErrors } from '@ledgerlink/connector-sdk';
import { z } from 'zod';

/**
 * Where an incremental contact read got to: the newest `UpdatedDateUTC` delivered (epoch ms) and
 * the ids delivered at exactly that instant. The next read asks Xero for everything modified since
 * that instant (inclusive) and drops only those ids, so nothing changed at the same millisecond is lost.
 */
export interface ListCheckpoint {
  readonly since?: number;
  readonly seen: readonly string[];
}

const PREFIX = 'xero-contacts:v1:';
const Shape = z.object({ since: z.number().int().nonnegative().optional(), seen: z.array(z.string()).max(1000) });

export function encodeCheckpoint(checkpoint: ListCheckpoint): string {
  return PREFIX + Buffer.from(JSON.stringify({ ...(checkpoint.since !== undefined ? { since: checkpoint.since } : {}), seen: checkpoint.seen }), 'utf8').toString('base64url');
}

/** Refuses a checkpoint this connector did not produce with `validation` on field `checkpoint`. */
export function decodeCheckpoint(value: string): ListCheckpoint {
  const refuse = () => ConnectorErrors.validation('checkpoint', 'This checkpoint was not produced by the Xero connector; start a full read without one');
  if (!value.startsWith(PREFIX)) throw refuse();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const parsed = Shape.safeParse(json);
  if (!parsed.success) throw refuse();
  return { ...(parsed.data.since !== undefined ? { since: parsed.data.since } : {}), seen: parsed.data.seen };
}
