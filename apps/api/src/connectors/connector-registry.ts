import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { type ConnectorDefinition, validateConnector } from '@ledgerlink/connector-sdk';
import { readConnectorConfig } from './connector-config.js';

export const CONNECTOR_KEYWORD = 'ledgerlink-connector';

export interface LoadedConnector {
  readonly packageName: string;
  readonly packageVersion: string;
  readonly definition: ConnectorDefinition<unknown>;
  /** The parsed host configuration, or null when none was given (listed as configured:false). */
  readonly config: unknown;
  readonly configured: boolean;
}

/** Refusal at start: a connector package that is missing, malformed or for another SDK. */
export class ConnectorLoadError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConnectorLoadError';
  }
}

/** The installed connectors, keyed by id. Built once at start by `loadConnectorRegistry`. */
export class ConnectorRegistry {
  private readonly byId: ReadonlyMap<string, LoadedConnector>;

  constructor(connectors: readonly LoadedConnector[]) {
    this.byId = new Map(connectors.map((c) => [c.definition.id, c]));
  }

  list(): LoadedConnector[] {
    return [...this.byId.values()].sort((a, b) => a.definition.displayName.localeCompare(b.definition.displayName));
  }

  find(id: string): LoadedConnector | undefined {
    return this.byId.get(id);
  }
}

export interface RegistryOptions {
  /** The host package's package.json; its dependencies are the candidates. */
  readonly packageJsonPath: string;
  /** Extra package names (LEDGERLINK_CONNECTORS). */
  readonly extraPackages?: readonly string[];
  /** LEDGERLINK_CONNECTOR_* variables. */
  readonly connectorEnv?: Readonly<Record<string, string>>;
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly keywords?: unknown;
  readonly main?: string;
  readonly module?: string;
  readonly exports?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly ledgerlink?: { readonly connector?: string };
}

/**
 * Finds connector packages without importing any by path: every dependency of the host package
 * plus LEDGERLINK_CONNECTORS, kept when its package.json has the keyword `ledgerlink-connector`,
 * then imported and checked with the SDK's `validateConnector`. Any problem refuses the start,
 * naming the package and what is wrong.
 */
export async function loadConnectorRegistry(options: RegistryOptions): Promise<ConnectorRegistry> {
  const hostPackage = readJson(options.packageJsonPath);
  const extra = options.extraPackages ?? [];
  const candidates = [...new Set([...Object.keys(hostPackage.dependencies ?? {}), ...Object.keys(hostPackage.optionalDependencies ?? {}), ...extra])];
  const problems: string[] = [];
  const found: { packageName: string; packageVersion: string; definition: ConnectorDefinition<unknown> }[] = [];

  for (const name of candidates) {
    const named = extra.includes(name);
    const dir = findPackageDir(name, options.packageJsonPath);
    if (!dir) {
      if (named) problems.push(`Connector package ${name} (named in LEDGERLINK_CONNECTORS) is not installed: add it with \`pnpm add ${name}\` in apps/api`);
      continue;
    }
    const pkg = readJson(join(dir, 'package.json'));
    const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
    if (!keywords.includes(CONNECTOR_KEYWORD)) {
      if (named) problems.push(`Package ${name} (named in LEDGERLINK_CONNECTORS) is not a Ledgerlink connector: its package.json has no keyword "${CONNECTOR_KEYWORD}"`);
      continue;
    }
    const entry = packageEntry(dir, pkg);
    if (!entry) {
      problems.push(`Connector package ${name} has no entry file: set "ledgerlink.connector", "exports" or "main" in its package.json (is it built?)`);
      continue;
    }
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    } catch (error) {
      problems.push(`Connector package ${name} could not be loaded from ${entry}: ${(error as Error).message}`);
      continue;
    }
    const definition = module.default;
    const manifestProblems = validateConnector(definition, (version, range) => semver.satisfies(version, range));
    if (manifestProblems.length > 0) {
      problems.push(`Connector package ${name} is refused: ${manifestProblems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      continue;
    }
    found.push({ packageName: name, packageVersion: pkg.version ?? '0.0.0', definition: definition as ConnectorDefinition<unknown> });
  }

  const ids = new Map<string, string>();
  for (const c of found) {
    const other = ids.get(c.definition.id);
    if (other) problems.push(`Connector packages ${other} and ${c.packageName} both use the id "${c.definition.id}": uninstall one of them`);
    ids.set(c.definition.id, c.packageName);
  }

  const allIds = found.map((c) => c.definition.id);
  const loaded: LoadedConnector[] = [];
  for (const c of found) {
    const result = readConnectorConfig(c.definition.id, c.definition.config, options.connectorEnv ?? {}, allIds);
    if (result.state === 'invalid') {
      problems.push(...result.problems);
      continue;
    }
    loaded.push({ ...c, config: result.state === 'configured' ? result.config : null, configured: result.state === 'configured' });
  }
  if (problems.length > 0) throw new ConnectorLoadError(problems);
  return new ConnectorRegistry(loaded);
}

/** apps/api/package.json, from src/connectors or dist/connectors alike. */
export function hostPackageJsonPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
}

function findPackageDir(name: string, fromPackageJson: string): string | null {
  const require = createRequire(fromPackageJson);
  for (const base of require.resolve.paths(name) ?? []) {
    const candidate = join(base, name, 'package.json');
    if (existsSync(candidate)) return realpathSync(dirname(candidate));
  }
  return null;
}

function packageEntry(dir: string, pkg: PackageJson): string | null {
  const declared = pkg.ledgerlink?.connector ?? exportTarget(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
  const path = resolve(dir, declared);
  return existsSync(path) ? path : null;
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  const record = exports as Record<string, unknown>;
  const root = '.' in record ? record['.'] : record;
  if (typeof root === 'string') return root;
  if (root && typeof root === 'object') {
    const conditions = root as Record<string, unknown>;
    for (const key of ['import', 'node', 'default']) {
      const value = conditions[key];
      if (typeof value === 'string') return value;
      const nested = exportTarget(value);
      if (nested) return nested;
    }
  }
  return undefined;
}

function readJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}
