import { collectConnectorEnv, connectorEnvPrefix, configKeyToEnvKey } from '@ledgerlink/connector-sdk';
import type { ZodType } from 'zod';

export type ConnectorConfigResult =
  | { readonly state: 'unconfigured' }
  | { readonly state: 'configured'; readonly config: unknown }
  | { readonly state: 'invalid'; readonly problems: readonly string[] };

/**
 * Collects `LEDGERLINK_CONNECTOR_<ID>_<KEY>` variables into `{key: value}` and parses them with the
 * connector's own zod schema. No variables → unconfigured (listed with configured:false).
 * `otherIds` are the other installed connectors, so `xero` does not swallow `xero-payroll`'s keys.
 */
export function readConnectorConfig(
  connectorId: string,
  schema: ZodType,
  env: Readonly<Record<string, string>>,
  otherIds: readonly string[] = [],
): ConnectorConfigResult {
  const prefix = connectorEnvPrefix(connectorId);
  const raw = collectConnectorEnv(connectorId, env, otherIds);
  if (Object.keys(raw).length === 0) return { state: 'unconfigured' };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { state: 'configured', config: parsed.data };
  return {
    state: 'invalid',
    problems: parsed.error.issues.map((issue) => {
      const key = issue.path.length > 0 ? `${prefix}${configKeyToEnvKey(String(issue.path[0]))}` : `${prefix}*`;
      const missing = issue.code === 'invalid_type' && raw[String(issue.path[0])] === undefined;
      return `${key} ${missing ? 'is required' : issue.message} (configuration of connector ${connectorId})`;
    }),
  };
}
