// Scaffolds connectors into .scratch/ (outside the pnpm workspace globs, so nothing needs
// installing), type-checks them with the repo's TypeScript against the workspace SDK through a
// tsconfig `paths` mapping, and runs their conformance test with vitest pointed at the scaffold.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { placeholders, REPO_ROOT, scaffold } from './scaffold.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SCRATCH = join(HERE, '.scratch', randomBytes(4).toString('hex'));
const SDK = join(REPO_ROOT, 'packages', 'connector-sdk');
// The tools are resolved through the SDK package, which has them installed, so the test works
// whether or not this package's own node_modules exist yet.
const fromSdk = createRequire(join(SDK, 'package.json'));
const dirOf = (name) => realpathSync(join(SDK, 'node_modules', name));
const TSC = fromSdk.resolve('typescript/bin/tsc');
const VITEST = join(dirOf('vitest'), 'vitest.mjs');

/** Wires a scaffold to the workspace SDK without installing anything. */
function wire(dir) {
  const zod = dirOf('zod');
  const vitest = dirOf('vitest');
  writeFileSync(
    join(dir, 'tsconfig.scratch.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: {
        typeRoots: [join(SDK, 'node_modules', '@types')],
        paths: {
          '@ledgerlink/connector-sdk': [join(SDK, 'dist', 'index.d.ts')],
          '@ledgerlink/connector-sdk/testing': [join(SDK, 'dist', 'testing', 'index.d.ts')],
          zod: [join(zod, 'index.d.cts')],
          vitest: [join(vitest, 'dist', 'index.d.ts')],
          'vitest/config': [join(vitest, 'config.d.ts')],
        },
      },
    }),
  );
  const alias = [
    { find: '^@ledgerlink/connector-sdk/testing$', replacement: join(SDK, 'dist', 'testing', 'index.js') },
    { find: '^@ledgerlink/connector-sdk$', replacement: join(SDK, 'dist', 'index.js') },
    { find: '^zod$', replacement: join(zod, 'index.js') },
  ];
  writeFileSync(
    join(dir, 'vitest.scratch.config.mjs'),
    `export default { resolve: { alias: ${JSON.stringify(alias)}.map((a) => ({ ...a, find: new RegExp(a.find) })) }, test: { include: ['test/**/*.test.ts'] } };\n`,
  );
}

function run(command, args, cwd) {
  const result = spawnSync(process.execPath, [command, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const typecheck = (dir) => run(TSC, ['-p', 'tsconfig.scratch.json', '--noEmit'], dir);
const vitest = (dir) => run(VITEST, ['run', '--config', 'vitest.scratch.config.mjs', '--root', '.', '--reporter', 'verbose'], dir);

before(() => {
  assert.ok(existsSync(join(SDK, 'dist', 'testing', 'index.js')), 'build the SDK first: pnpm --filter @ledgerlink/connector-sdk build');
  mkdirSync(SCRATCH, { recursive: true });
});
after(() => {
  rmSync(SCRATCH, { recursive: true, force: true });
  // The parent too, unless another run is using it.
  if (readdirSync(dirname(SCRATCH)).length === 0) rmdirSync(dirname(SCRATCH));
});

describe('create-connector', () => {
  let dir;
  before(() => {
    dir = scaffold({ id: 'acme-books', dir: join(SCRATCH, 'acme-books'), displayName: 'Acme Books' }).dir;
    wire(dir);
  });

  it('writes a publishable package: keyword, SDK as a peer, manifest, fake server and conformance test', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const sdkVersion = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')).version;
    assert.equal(pkg.name, 'ledgerlink-connector-acme-books');
    assert.deepEqual(pkg.keywords, ['ledgerlink-connector']);
    assert.equal(pkg.peerDependencies['@ledgerlink/connector-sdk'], `^${sdkVersion}`);
    assert.equal(pkg.devDependencies['@ledgerlink/connector-sdk'], `^${sdkVersion}`);
    assert.match(pkg.dependencies.zod, /^\d+\.\d+\.\d+$/, 'outside the repo versions are exact, not catalog:');
    assert.deepEqual(pkg.files, ['dist', 'README.md']);
    for (const file of ['src/index.ts', 'src/session.ts', 'src/client.ts', 'test/fake-server.ts', 'test/conformance.test.ts', 'README.md', 'tsconfig.build.json']) {
      assert.ok(existsSync(join(dir, file)), `${file} is written`);
    }
    const index = readFileSync(join(dir, 'src/index.ts'), 'utf8');
    assert.match(index, /defineConnector<Config>\(\{\n {2}id: 'acme-books',\n {2}displayName: 'Acme Books',/);
    assert.match(readFileSync(join(dir, 'test/fake-server.ts'), 'utf8'), /from 'node:http'/);
    assert.doesNotMatch(readFileSync(join(dir, 'README.md'), 'utf8'), /__[A-Z_]+__/, 'no placeholder is left');
    assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /LEDGERLINK_CONNECTOR_ACME_BOOKS_CLIENT_ID/);
  });

  it('type-checks with the strict settings against the workspace SDK', () => {
    const { status, output } = typecheck(dir);
    assert.equal(status, 0, output);
  });

  it('passes the conformance kit out of the box, every check the manifest calls for', () => {
    const { status, output } = vitest(dir);
    assert.equal(status, 0, output);
    for (const name of [
      '[acme-books] manifest:',
      '[acme-books] auth: consent, code exchange and refresh',
      '[acme-books] contacts.upsert: replaying an idempotency key creates nothing',
      '[acme-books] contacts.upsert: a display name already in use gives duplicate with the existing id',
      '[acme-books] contacts.status: a merged-away contact is never reported active, and names the right survivor',
      '[acme-books] contacts.list: a change made between two pages of a read is not lost',
      '[acme-books] rate limits: a rate-limit answer becomes rate_limited',
      '[acme-books] webhooks: a correctly signed request is accepted',
      '[acme-books] transactions.push: pushing an invoice, then replaying its idempotency key, creates one that listForContact returns in minor units',
    ]) {
      assert.ok(output.includes(`✓ test/conformance.test.ts > [acme-books] conformance with @ledgerlink/connector-sdk`) && output.includes(name), `ran "${name}"\n${output}`);
    }
    assert.match(output, /Tests\s+18 passed \(18\)/);
  });
});

describe('the conformance kit catches a broken connector', () => {
  it('a connector that maps 429 to transient fails the rate-limit check, named by capability, and nothing else', () => {
    const dir = scaffold({ id: 'broken-books', dir: join(SCRATCH, 'broken-books') }).dir;
    wire(dir);
    const client = join(dir, 'src', 'client.ts');
    const source = readFileSync(client, 'utf8');
    const broken = source.replace(/if \(response\.status === 429\) return ConnectorErrors\.rateLimited\([^\n]*\n/, '');
    assert.notEqual(broken, source, 'the template still maps 429 where this test expects it');
    writeFileSync(client, broken);
    const { status, output } = vitest(dir);
    assert.notEqual(status, 0, output);
    assert.match(output, /× test\/conformance\.test\.ts > .* > \[broken-books\] rate limits: a rate-limit answer becomes rate_limited with a usable retry time/);
    assert.match(output, /Tests\s+1 failed \| 17 passed \(18\)/);
  });
});

describe('create-connector refuses bad input', () => {
  it('names the fix for a bad id, a missing id and a non-empty target', () => {
    const bin = join(HERE, 'bin.mjs');
    const bad = run(bin, ['Acme_Books', '--dir', join(SCRATCH, 'x')], HERE);
    assert.equal(bad.status, 1);
    assert.match(bad.output, /"Acme_Books" is not a valid connector id: use kebab-case/);
    const missing = run(bin, [], HERE);
    assert.equal(missing.status, 1);
    assert.match(missing.output, /Give the connector id: pnpm create-connector <id>/);
    const target = join(SCRATCH, 'taken');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep.txt'), 'mine');
    const taken = run(bin, ['taken-books', '--dir', target], HERE);
    assert.equal(taken.status, 1);
    assert.match(taken.output, /already exists and is not empty/);
    assert.equal(readFileSync(join(target, 'keep.txt'), 'utf8'), 'mine');
  });

  it('inside the repository the package is @ledgerlink/connector-<id> with workspace versions; --package overrides the name', () => {
    const inRepo = placeholders({ id: 'named-books', target: join(REPO_ROOT, 'connectors', 'named-books') });
    assert.equal(inRepo.__PACKAGE_NAME__, '@ledgerlink/connector-named-books');
    assert.equal(inRepo.__SDK_DEV__, 'workspace:*');
    assert.equal(inRepo.__ZOD__, 'catalog:');
    assert.equal(inRepo.__DISPLAY_NAME__, 'Named Books');
    const result = scaffold({ id: 'named-books', dir: join(SCRATCH, 'named-books'), packageName: '@acme/ledgerlink-books' });
    assert.equal(JSON.parse(readFileSync(join(result.dir, 'package.json'), 'utf8')).name, '@acme/ledgerlink-books');
  });
});
