// Scaffolds a Ledgerlink connector package from ./template. Used by bin.mjs and the tests.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const TEMPLATE_DIR = join(HERE, 'template');
const ID = /^[a-z][a-z0-9-]{1,62}$/;

/** The connector id rules of the SDK manifest; returns a message naming the fix, or undefined. */
export function checkId(id) {
  if (typeof id !== 'string' || id === '') return 'Give the connector id: pnpm create-connector <id>, e.g. pnpm create-connector acme-books';
  if (!ID.test(id) || id.endsWith('-')) return `"${id}" is not a valid connector id: use kebab-case (a-z, 0-9, -), 2 to 63 characters, starting with a letter, e.g. acme-books`;
  return undefined;
}

/** "acme-books" → "Acme Books". */
export function displayNameOf(id) {
  return id
    .split('-')
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}

function catalogVersion(name) {
  const text = readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s+"?${escaped}"?:\\s*"?([^"\\s]+)"?\\s*$`, 'm').exec(text);
  if (!match) throw new Error(`pnpm-workspace.yaml has no catalog entry for ${name}`);
  return match[1];
}

export function sdkVersion() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'connector-sdk', 'package.json'), 'utf8')).version;
}

/**
 * The placeholder values of the template for a target directory. Inside this repository (but not
 * under .scratch/) the package is `@ledgerlink/connector-<id>` with workspace/catalog versions;
 * elsewhere `ledgerlink-connector-<id>` with exact versions.
 */
export function placeholders({ id, target, displayName = displayNameOf(id), packageName }) {
  const rel = relative(REPO_ROOT, resolve(target));
  const inRepo = !rel.startsWith('..') && !rel.split(sep).includes('.scratch');
  const sdk = sdkVersion();
  return {
    __CONNECTOR_ID__: id,
    __DISPLAY_NAME__: displayName.replace(/[\\'"`]/g, ''),
    __PACKAGE_NAME__: packageName ?? (inRepo ? `@ledgerlink/connector-${id}` : `ledgerlink-connector-${id}`),
    __ENV_PREFIX__: `LEDGERLINK_CONNECTOR_${id.toUpperCase().replace(/-/g, '_')}_`,
    __SDK_RANGE__: `^${sdk}`,
    __SDK_DEV__: inRepo ? 'workspace:*' : `^${sdk}`,
    __ZOD__: inRepo ? 'catalog:' : catalogVersion('zod'),
    __TYPES_NODE__: inRepo ? 'catalog:' : catalogVersion('@types/node'),
    __TYPESCRIPT__: inRepo ? 'catalog:' : catalogVersion('typescript'),
    __VITEST__: inRepo ? 'catalog:' : catalogVersion('vitest'),
  };
}

/**
 * Writes the package into `dir` (default connectors/<id> of this repository). Inside this repository the package is `@ledgerlink/connector-<id>`
 * with workspace/catalog versions; elsewhere `ledgerlink-connector-<id>` with exact versions.
 * Returns the files written (relative to dir).
 */
export function scaffold({ id, dir, displayName, packageName, force = false }) {
  const problem = checkId(id);
  if (problem) throw new Error(problem);
  const name = displayName ?? displayNameOf(id);
  const target = resolve(dir ?? join(REPO_ROOT, 'connectors', id));
  if (existsSync(target) && readdirSync(target).length > 0 && !force) {
    throw new Error(`${target} already exists and is not empty: choose another id or --dir, or pass --force to write over it`);
  }
  const values = placeholders({ id, target, displayName: name, packageName });
  const written = [];
  const walk = (from) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const source = join(from, entry.name);
      if (entry.isDirectory()) {
        walk(source);
        continue;
      }
      const rel = relative(TEMPLATE_DIR, source).replace(/\.tpl$/, '');
      let text = readFileSync(source, 'utf8');
      for (const [key, value] of Object.entries(values)) text = text.split(key).join(value);
      const destination = join(target, rel);
      mkdirSync(dirname(destination), { recursive: true });
      writeFileSync(destination, text);
      written.push(rel.split(sep).join('/'));
    }
  };
  walk(TEMPLATE_DIR);
  return { dir: target, packageName: values.__PACKAGE_NAME__, files: written.sort() };
}
