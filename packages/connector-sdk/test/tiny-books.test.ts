import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createTestHttpClient, describeConformance } from '../src/testing/index.js';
import tinyBooks from './tiny-books-connector.js';
import { tinyBooksProvider, type TinyBooksProvider } from './tiny-books-provider.js';

// The README's example connector, run through the conformance kit against an in-memory provider.
let provider: TinyBooksProvider | undefined;
const live = () => {
  if (!provider) throw new Error('not connected yet');
  return provider;
};

const plan = describeConformance({
  connector: tinyBooks,
  async connect() {
    provider = tinyBooksProvider('key-123');
    const credentials = { accessToken: 'key-123' };
    const ctx = {
      config: tinyBooks.config.parse({ baseUrl: 'https://tiny-books.test' }),
      tenantId: 'company-1',
      credentials: () => credentials,
      http: createTestHttpClient(() => credentials, { fetch: provider.fetch }),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      clock: { now: () => new Date() },
    };
    return { ctx, session: await tinyBooks.connect(ctx) };
  },
  fixtures: { unknownContactId: 'tb-404' },
  hooks: {
    archive: ({ id }) => Promise.resolve(live().archive(id)),
    injectRateLimit: () => Promise.resolve(live().throttleNext(5)),
  },
});

it('[tiny-books] conformance: every check the manifest calls for runs', () => {
  expect(plan.uncovered).toEqual([]);
  expect(plan.checks.map((c) => c.id)).toContain('contacts.archived');
});

it('the README shows the example connector exactly as tested', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL('./tiny-books-connector.ts', import.meta.url), 'utf8');
  expect(readme).toContain(source.trim());
});
