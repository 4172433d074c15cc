/**
 * How a host hands configuration to a connector: environment variables named
 * `LEDGERLINK_CONNECTOR_<ID>_<KEY>` (id upper-snake, key upper-snake), collected into
 * `{ camelCaseKey: value }` and parsed with the connector's own `config` schema. Hosts, connectors
 * (for error messages that name the variable) and tests share these functions.
 */

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

/** The variable that sets a config key: (`quickbooks-online`, `apiBaseUrl`) → `LEDGERLINK_CONNECTOR_QUICKBOOKS_ONLINE_API_BASE_URL`. */
export function connectorEnvVar(connectorId: string, configKey: string): string {
  return `${connectorEnvPrefix(connectorId)}${configKeyToEnvKey(configKey)}`;
}

/**
 * Collects a connector's variables into `{ key: value }` (blank values left out). `otherIds` are the
 * other installed connectors, so `xero` does not take `xero-payroll`'s variables.
 */
export function collectConnectorEnv(
  connectorId: string,
  env: Readonly<Record<string, string | undefined>>,
  otherIds: readonly string[] = [],
): Record<string, string> {
  const prefix = connectorEnvPrefix(connectorId);
  const longer = otherIds.map(connectorEnvPrefix).filter((p) => p !== prefix && p.startsWith(prefix));
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined || value.trim() === '' || longer.some((p) => name.startsWith(p))) continue;
    raw[envKeyToConfigKey(name.slice(prefix.length))] = value.trim();
  }
  return raw;
}
