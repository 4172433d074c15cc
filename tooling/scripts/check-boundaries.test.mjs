import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { checkRepository, importsOf } from './check-boundaries.mjs';

function repoWith(files) {
  const root = mkdtempSync(join(tmpdir(), 'll-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(files) {
  const root = repoWith(files);
  try {
    return checkRepository(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('a connector importing the host database client is refused', () => {
  const problems = check({ 'connectors/acme/src/index.ts': "import { PrismaClient } from '@prisma/client';\n" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /connectors\/acme\/src\/index\.ts:1 imports "@prisma\/client"/);
});

test('a connector importing core or another connector is refused, the SDK and vendor SDKs are allowed', () => {
  const problems = check({
    'connectors/acme/src/index.ts': [
      "import { defineConnector } from '@ledgerlink/connector-sdk';",
      "import OAuthClient from 'intuit-oauth';",
      "import { z } from 'zod';",
      "import { match } from '@ledgerlink/core';",
      "import other from '@ledgerlink/connector-xero';",
    ].join('\n'),
  });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"@ledgerlink\/core"/);
  assert.match(problems[1], /"@ledgerlink\/connector-xero"/);
});

test('the API importing a connector package directly is refused with a pointer to the registry', () => {
  const problems = check({ 'apps/api/src/x.ts': "import qbo from '@ledgerlink/connector-quickbooks-online';\n" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /only through the connector registry/);
});

test('core may not do I/O or use frameworks', () => {
  const problems = check({
    'packages/core/src/a.ts': "import { readFileSync } from 'node:fs';\nimport { Injectable } from '@nestjs/common';\nimport type { Contact } from '@ledgerlink/connector-sdk';\n",
  });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /Node built-in "node:fs"/);
  assert.match(problems[1], /"@nestjs\/common"/);
});

test('the console may not reach the API app, core or the SDK, and may not escape its folder', () => {
  const problems = check({
    'apps/console/src/a.ts': "import { x } from '@ledgerlink/core';\nimport { y } from '../../api/src/y.js';\nimport { createApiClient } from '@ledgerlink/api-client';\n",
  });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"@ledgerlink\/core"/);
  assert.match(problems[1], /reaches outside apps\/console\//);
});

test('tests may use the sandbox; production code may not', () => {
  const problems = check({
    'apps/api/test/upload.e2e.test.ts': "import { startSandbox } from '@ledgerlink/sandbox';\n",
    'apps/api/src/main.ts': "import { startSandbox } from '@ledgerlink/sandbox';\n",
  });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /apps\/api\/src\/main\.ts/);
});

test('the contract and the sandbox stay self-contained', () => {
  const problems = check({
    'packages/contract/src/a.ts': "import { z } from 'zod';\nimport express from 'express';\n",
    'apps/sandbox/src/a.ts': "import { z } from 'zod';\nimport { routes } from '@ledgerlink/contract';\n",
  });
  assert.equal(problems.length, 2);
});

test('imports are found in every syntax, comments are ignored', () => {
  const found = importsOf([
    "import a from 'a';",
    "import type { B } from 'b';",
    "import 'c';",
    "export * from 'd';",
    "export { e } from 'e';",
    "const f = await import('f');",
    "const g = require('g');",
    "// import h from 'h';",
    "/* import i from 'i'; */",
  ].join('\n'));
  assert.deepEqual(found.map((f) => f.specifier).sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
});
