import { describe, expect, it } from 'vitest';
import { Contact } from '@ledgerlink/connector-sdk';
import { matchContacts } from '../src/index.js';
import { generateContactPairs, type ContactPairsFixture } from './fixtures/generate-contact-pairs.mjs';
import committed from './fixtures/contact-pairs.json' with { type: 'json' };

// The labelled fixture: each local and remote contact renders an entity; a pair is a true match
// exactly when both render the same entity. The labels come from how the generator built each
// pair, never from the matcher. Regenerate with:
//   node test/fixtures/generate-contact-pairs.mjs > test/fixtures/contact-pairs.json
const fixture = committed as ContactPairsFixture;

/**
 * Floors, and why:
 * - Precision ≥ 0.99: an automatic link is acted on without a person looking at it (transactions
 *   flow to that customer), so at most 1 in 100 may be wrong; the measured figure is 1.0.
 * - Recall ≥ 0.78: the rules deliberately send some true matches to review — a married-name change
 *   with no second piece of evidence, a changed e-mail, a typo in a name without a phone — because
 *   the same evidence also fits family members and namesakes. Those are ~19 % of the true pairs, so
 *   ~0.81 is what the rules can reach; the floor sits just below to catch a regression.
 * - Review coverage ≥ 0.98: a true match that is not linked must at least be suggested.
 */
const PRECISION_FLOOR = 0.99;
const RECALL_FLOOR = 0.78;
const COVERAGE_FLOOR = 0.98;

describe('matching against the labelled fixture', () => {
  it('is exactly what the committed, seeded generator produces', () => {
    expect(generateContactPairs(fixture.seed)).toEqual(fixture);
  });

  it('holds at least 2,000 valid pairs covering every tricky case, both true and false', () => {
    expect(fixture.pairs.length).toBeGreaterThanOrEqual(2000);
    for (const item of [...fixture.locals, ...fixture.remotes]) expect(() => Contact.parse(item.contact)).not.toThrow();
    const categories = new Map<string, Set<boolean>>();
    for (const p of fixture.pairs) categories.set(p.category, (categories.get(p.category) ?? new Set()).add(p.same));
    expect([...categories.keys()]).toEqual(expect.arrayContaining([
      'formatting', 'last-first', 'company-suffix', 'married-name', 'email-domain-typo', 'same-name-different-person',
      'shared-office-phone', 'family-shared-email', 'company-vs-person',
    ]));
    expect(fixture.pairs.some((p) => p.same)).toBe(true);
    expect(fixture.pairs.some((p) => !p.same)).toBe(true);
  });

  it(`auto-links with precision ≥ ${PRECISION_FLOOR} and recall ≥ ${RECALL_FLOOR}, and suggests the rest`, () => {
    const entity = new Map([...fixture.locals, ...fixture.remotes].map((x) => [x.id, x.entity]));
    const result = matchContacts({
      locals: fixture.locals.map((l) => ({ id: l.id, contact: Contact.parse(l.contact) })),
      remotes: fixture.remotes.map((r) => ({ id: r.id, status: r.status, contact: Contact.parse(r.contact) })),
    });
    const auto = new Map(result.autoLinks.map((a) => [a.localId, a.remoteId]));
    const suggested = new Map(result.suggestions.map((s) => [s.localId, new Set(s.candidates.map((c) => c.remoteId))]));

    const correct = result.autoLinks.filter((a) => entity.get(a.localId) === entity.get(a.remoteId)).length;
    const truePairs = fixture.pairs.filter((p) => p.same);
    const found = truePairs.filter((p) => auto.get(p.localId) === p.remoteId).length;
    const reviewed = truePairs.filter((p) => auto.get(p.localId) === p.remoteId || suggested.get(p.localId)?.has(p.remoteId)).length;
    const precision = correct / result.autoLinks.length;
    const recall = found / truePairs.length;
    const coverage = reviewed / truePairs.length;

    const byCategory: Record<string, { pairs: number; label: string; autoLinked: number; suggested: number }> = {};
    for (const p of fixture.pairs) {
      const row = (byCategory[p.category] ??= { pairs: 0, label: p.same ? 'same' : 'different', autoLinked: 0, suggested: 0 });
      row.pairs++;
      if (auto.get(p.localId) === p.remoteId) row.autoLinked++;
      else if (suggested.get(p.localId)?.has(p.remoteId)) row.suggested++;
    }
    console.info(`Contact matching on ${fixture.pairs.length} labelled pairs (${truePairs.length} true): ` +
      `${result.autoLinks.length} auto-links, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}, review coverage ${coverage.toFixed(4)}`);
    console.table(byCategory);

    expect(precision).toBeGreaterThanOrEqual(PRECISION_FLOOR);
    expect(recall).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(coverage).toBeGreaterThanOrEqual(COVERAGE_FLOOR);
    // Pairs labelled "different" are never linked to each other.
    expect(fixture.pairs.filter((p) => !p.same && auto.get(p.localId) === p.remoteId)).toEqual([]);
  });
});
