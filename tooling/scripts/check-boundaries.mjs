#!/usr/bin/env node
// Checks the dependency directions of ARCHITECTURE.md section 4 by reading every import in the
// repository's TypeScript, Vue and JavaScript sources. Exits 1 and names each violation.
// Usage: node tooling/scripts/check-boundaries.mjs [--root DIR]
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SOURCE = /\.(ts|mts|cts|tsx|vue|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.turbo', 'generated', 'screenshots']);

/** A file is test code when it lives under test/ or e2e/, or is named *.test.* / *.e2e.* */
export function isTestFile(path) {
  return /(^|[\\/])(test|e2e|__tests__)[\\/]/.test(path) || /\.(test|spec|e2e)\.[a-z]+$/.test(path) || /vitest\.config\./.test(path);
}

const BANNED_FRAMEWORKS = [/^@nestjs\//, /^@prisma\//, /^prisma$/, /^bull$/, /^bullmq$/, /^pg$/, /^@electric-sql\//];
const CONNECTOR_PKG = /^(@ledgerlink\/connector-(?!sdk)|ledgerlink-connector-)/;

/**
 * Each role: `repo` lists the @ledgerlink packages production code may import; `test` adds what
 * tests may import; `forbid` lists specifiers never allowed (regexes); `builtins` whether node
 * built-ins are allowed (true, false, or a list of forbidden ones).
 */
export const RULES = [
  {
    role: 'connector', match: /^connectors\/[^/]+\//,
    repo: ['@ledgerlink/connector-sdk'], test: ['@ledgerlink/sandbox'],
    forbid: BANNED_FRAMEWORKS, builtins: true,
  },
  {
    role: 'core', match: /^packages\/core\//,
    repo: ['@ledgerlink/connector-sdk'], test: [],
    forbid: [...BANNED_FRAMEWORKS, /^express$/], builtins: ['net', 'http', 'https', 'http2', 'fs', 'fs/promises', 'child_process', 'dgram', 'tls', 'dns', 'cluster', 'worker_threads'],
    thirdParty: ['fast-check', 'vitest'],
  },
  {
    role: 'connector-sdk', match: /^packages\/connector-sdk\//,
    repo: [], test: [], forbid: BANNED_FRAMEWORKS, builtins: ['net', 'http', 'https', 'fs', 'child_process'],
    thirdParty: ['zod', 'vitest', 'fast-check', 'semver'],
  },
  {
    role: 'contract', match: /^packages\/contract\//,
    repo: [], test: [], forbid: BANNED_FRAMEWORKS, builtins: false, testBuiltins: true,
    thirdParty: ['zod', 'vitest'],
  },
  {
    role: 'api-client', match: /^packages\/api-client\//,
    repo: ['@ledgerlink/contract'], test: [], forbid: BANNED_FRAMEWORKS, builtins: false, testBuiltins: true,
    thirdParty: ['zod', 'vitest'],
  },
  {
    role: 'console', match: /^apps\/console\//,
    repo: ['@ledgerlink/api-client', '@ledgerlink/contract'], test: ['@ledgerlink/sandbox'],
    forbid: [...BANNED_FRAMEWORKS, CONNECTOR_PKG, /^@ledgerlink\/(core|connector-sdk|api)$/], builtins: false, testBuiltins: true,
  },
  {
    role: 'api', match: /^apps\/api\//,
    repo: ['@ledgerlink/core', '@ledgerlink/contract', '@ledgerlink/connector-sdk'], test: ['@ledgerlink/sandbox', '@ledgerlink/api-client'],
    forbid: [CONNECTOR_PKG, /^@ledgerlink\/console$/], builtins: true,
  },
  {
    role: 'sandbox', match: /^apps\/sandbox\//,
    repo: [], test: [], forbid: BANNED_FRAMEWORKS, builtins: true,
    thirdParty: ['zod', 'vitest'], testThirdParty: ['intuit-oauth', 'node-quickbooks', 'xero-node', 'openid-client', '@hubspot/api-client', 'fast-check', 'yaml', 'ajv', 'ajv-formats'],
  },
];

function packageName(specifier) {
  if (specifier.startsWith('@')) return specifier.split('/').slice(0, 2).join('/');
  return specifier.split('/')[0];
}

const IMPORT_PATTERNS = [
  /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s+from\s+['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export function importsOf(text) {
  const found = [];
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of stripped.matchAll(pattern)) {
      const line = stripped.slice(0, match.index).split('\n').length;
      found.push({ specifier: match[1], line });
    }
  }
  return found;
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) yield* walk(full);
    else if (SOURCE.test(entry)) yield full;
  }
}

export function checkFile(root, file, text) {
  const rel = relative(root, file).split(sep).join('/');
  const rule = RULES.find((r) => r.match.test(rel));
  if (!rule) return [];
  const pkgRoot = rel.split('/').slice(0, 2).join('/');
  const test = isTestFile(rel);
  const problems = [];
  for (const { specifier, line } of importsOf(text)) {
    const where = `${rel}:${line}`;
    if (specifier.startsWith('.')) {
      const target = relative(root, resolve(dirname(file), specifier)).split(sep).join('/');
      if (!target.startsWith(`${pkgRoot}/`) && target !== pkgRoot) {
        problems.push(`${where} imports "${specifier}", which reaches outside ${pkgRoot}/ (import the package by name instead)`);
      }
      continue;
    }
    if (specifier.startsWith('virtual:') || specifier.startsWith('/')) continue;
    if (BUILTINS.has(specifier) || BUILTINS.has(specifier.replace(/^node:/, ''))) {
      const bare = specifier.replace(/^node:/, '');
      const allowed = rule.builtins === true || (test && rule.testBuiltins) || (Array.isArray(rule.builtins) && !rule.builtins.includes(bare.split('/')[0]) && !rule.builtins.includes(bare));
      if (!allowed && !(test && rule.role !== 'core')) problems.push(`${where} imports the Node built-in "${specifier}", which ${rule.role} must not use (ARCHITECTURE.md §4)`);
      continue;
    }
    const name = packageName(specifier);
    const banned = rule.forbid.find((re) => re.test(name));
    if (banned) {
      const hint = rule.role === 'api' && CONNECTOR_PKG.test(name) ? ' (the API reaches connectors only through the connector registry)' : '';
      problems.push(`${where} imports "${name}", which ${rule.role} must never import${hint} (ARCHITECTURE.md §4)`);
      continue;
    }
    if (name.startsWith('@ledgerlink/')) {
      const ok = rule.repo.includes(name) || (test && rule.test.includes(name)) || name === `@ledgerlink/${pkgRoot.split('/')[1]}`;
      const tooling = ['@ledgerlink/eslint-config', '@ledgerlink/tsconfig'].includes(name);
      if (!ok && !tooling) problems.push(`${where} imports "${name}", which ${rule.role} may not depend on (allowed: ${[...rule.repo, ...(test ? rule.test : [])].join(', ') || 'no other Ledgerlink package'})`);
      continue;
    }
    if (rule.thirdParty && !test && !rule.thirdParty.includes(name)) {
      problems.push(`${where} imports "${name}"; ${rule.role} may only use ${rule.thirdParty.join(', ')} (ARCHITECTURE.md §4)`);
    }
    if (rule.thirdParty && test && !rule.thirdParty.includes(name) && !(rule.testThirdParty ?? []).includes(name) && !['vitest', 'fast-check', 'vite', '@vue/test-utils', 'playwright-core'].includes(name)) {
      problems.push(`${where} (a test) imports "${name}", which ${rule.role} tests do not use`);
    }
  }
  return problems;
}

export function checkRepository(root) {
  const problems = [];
  for (const top of ['apps', 'packages', 'connectors']) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir)) problems.push(...checkFile(root, file, readFileSync(file, 'utf8')));
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root = resolve(at > 0 ? process.argv[at + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const problems = checkRepository(root);
  if (problems.length > 0) {
    console.error(`Boundary check failed: ${problems.length} import(s) break ARCHITECTURE.md section 4:`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log('Boundary check passed: every import follows ARCHITECTURE.md section 4.');
}
