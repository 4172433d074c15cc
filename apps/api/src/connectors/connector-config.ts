import type { ZodType } from 'zod';

/** `quickbooks-online` → `LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_`. */
export function connectorEnvPrefix(connectorId: string): string {
  return `LEDGERLINK_CONNECTOR_${connectorId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_`;
}

/** `CLIENT_ID` → `clientId`. */
export function envKeyToConfigKey(key: string): string {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `clientId` → `CLIENT_ID`. */
export function configKeyToEnvKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

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
  const longer = otherIds.map(connectorEnvPrefix).filter((p) => p !== prefix && p.startsWith(prefix));
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || longer.some((p) => name.startsWith(p))) continue;
    raw[envKeyToConfigKey(name.slice(prefix.length))] = value;
  }
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
