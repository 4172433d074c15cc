import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '@ledgerlink/connector-sdk';
import { matchContacts, type LocalContactInput, type MatchResult, type RemoteContactInput } from './match-contacts.js';
import { resolveMatchRules } from './match-rules.js';
import { normaliseContact } from './normalise-contact.js';
import { scoreContactPair } from './score-contact-pair.js';

const contact = (c: Partial<Contact>): Contact => ({ kind: 'customer', emails: [], phones: [], addresses: [], customFields: {}, ...c });
const person = (given: string, family: string, email?: string, phone?: string, extra: Partial<Contact> = {}): Contact =>
  contact({
    givenName: given, familyName: family, displayName: `${given} ${family}`,
    emails: email ? [{ address: email, type: 'primary' }] : [],
    phones: phone ? [{ number: phone, type: 'primary' }] : [],
    ...extra,
  });
const local = (id: string, c: Contact): LocalContactInput => ({ id, contact: c });
const remote = (id: string, c: Contact, status: RemoteContactInput['status'] = 'active'): RemoteContactInput => ({ id, status, contact: c });
const links = (result: MatchResult) => result.autoLinks.map((a) => [a.localId, a.remoteId]);

describe('matchContacts — table', () => {
  it('links a company written two ways and explains why in words', () => {
    const result = matchContacts({
      locals: [local('l1', contact({ companyName: 'Acme Pty Ltd', displayName: 'Acme Pty Ltd', emails: [{ address: 'jo@acme.com', type: 'work' }] }))],
      remotes: [remote('r1', contact({ companyName: 'ACME Pty. Limited', displayName: 'ACME Pty. Limited', emails: [{ address: 'JO@acme.com', type: 'work' }] }))],
    });
    expect(result.autoLinks).toEqual([{
      localId: 'l1', remoteId: 'r1', score: 0.9,
      reasons: ['Same e-mail (jo@acme.com)', "Same company name after normalisation ('Acme Pty Ltd' ~ 'ACME Pty. Limited')"],
    }]);
  });

  it('links "Smith, John" to John Smith with the same e-mail', () => {
    const result = matchContacts({
      locals: [local('l1', contact({ displayName: 'Smith, John', emails: [{ address: 'john@smith.id.au', type: 'primary' }] }))],
      remotes: [remote('r1', person('John', 'Smith', 'John@Smith.id.au'))],
    });
    expect(links(result)).toEqual([['l1', 'r1']]);
  });

  it('uses the e-mail to break a tie between two people of the same name', () => {
    const result = matchContacts({
      locals: [local('l1', person('John', 'Smith', 'john.smith@gmail.com'))],
      remotes: [remote('r1', person('John', 'Smith', 'jsmith@outlook.com')), remote('r2', person('John', 'Smith', 'johnsmith@gmail.com'))],
    });
    expect(links(result)).toEqual([['l1', 'r2']]);
  });

  it('suggests a namesake with no e-mail on file, and leaves out one whose e-mail differs', () => {
    const result = matchContacts({
      locals: [local('l1', person('Mary', 'Jones', 'mary@jones.net')), local('l2', person('Mary', 'Jones', 'mary@jones.net'))],
      remotes: [remote('r1', person('Mary', 'Jones'))],
    });
    expect(result.autoLinks).toEqual([]);
    expect(result.suggestions).toMatchObject([
      { localId: 'l1', cause: 'uncertain', candidates: [{ remoteId: 'r1', passes: false, score: 0.45, reasons: ["Same name ('Mary Jones')"] }] },
      { localId: 'l2', cause: 'uncertain' },
    ]);
    const differentEmail = matchContacts({
      locals: [local('l1', person('Mary', 'Jones', 'mary@jones.net'))],
      remotes: [remote('r1', person('Mary', 'Jones', 'mjones@gmail.com'))],
    });
    expect(differentEmail).toMatchObject({ autoLinks: [], suggestions: [] });
    const scored = scoreContactPair(normaliseContact(person('Mary', 'Jones', 'mary@jones.net')), normaliseContact(person('Mary', 'Jones', 'mjones@gmail.com')), resolveMatchRules());
    expect(scored).toEqual({ score: 0.3, conflict: null, passes: false, reasons: ['Different e-mails (mary@jones.net ≠ mjones@gmail.com)', "Same name ('Mary Jones')"] });
  });

  it('never links family members who share one mailbox and phone', () => {
    const result = matchContacts({
      locals: [local('l1', person('Jane', 'Doyle', 'doyles@bigpond.com', '(02) 9876 5432'))],
      remotes: [remote('r1', person('Peter', 'Doyle', 'doyles@bigpond.com', '+61 2 9876 5432'))],
    });
    expect(result.autoLinks).toEqual([]);
  });

  it('links a married-name change when e-mail, first name and phone agree, and only suggests it on e-mail and first name', () => {
    const withPhone = matchContacts({
      locals: [local('l1', person('Jane', 'Doe', 'jane@doe.com', '0412 345 678'))],
      remotes: [remote('r1', person('Jane', 'Smith', 'jane@doe.com', '+61 412 345 678'))],
    });
    expect(links(withPhone)).toEqual([['l1', 'r1']]);
    const withoutPhone = matchContacts({
      locals: [local('l1', person('Jane', 'Doe', 'jane@doe.com'))],
      remotes: [remote('r1', person('Jane', 'Smith', 'jane@doe.com'))],
    });
    expect(withoutPhone.autoLinks).toEqual([]);
    expect(withoutPhone.suggestions[0]?.candidates[0]?.reasons).toContain("Same first name, different family name ('Jane Doe' ~ 'Jane Smith')");
  });

  it('never links a father to his son', () => {
    const result = matchContacts({
      locals: [local('l1', person('John', 'Smith', 'smiths@gmail.com', '0412 345 678', { suffix: 'Sr.' }))],
      remotes: [remote('r1', person('John', 'Smith', 'smiths@gmail.com', '0412 345 678', { suffix: 'Jr' }))],
    });
    expect(result.autoLinks).toEqual([]);
  });

  it('never links a person to the company that carries their name', () => {
    const result = matchContacts({
      locals: [local('l1', person('Jordan', 'Lee', 'jordan@lee.com'))],
      remotes: [remote('r1', contact({ companyName: 'Jordan Lee Pty Ltd', displayName: 'Jordan Lee Pty Ltd', emails: [{ address: 'jordan@lee.com', type: 'work' }] }))],
    });
    expect(result.autoLinks).toEqual([]);
  });

  it('does not pick between two remote duplicates that both pass: the person chooses', () => {
    const result = matchContacts({
      locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com'))],
      remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com')), remote('r2', person('ANN', 'LEE', 'Ann@Lee.com'))],
    });
    expect(result.autoLinks).toEqual([]);
    expect(result.suggestions).toMatchObject([{ localId: 'l1', cause: 'ambiguous', candidates: [{ remoteId: 'r1', passes: true }, { remoteId: 'r2', passes: true }] }]);
  });

  it('does not give one remote contact to two local duplicates', () => {
    const result = matchContacts({
      locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com')), local('l2', person('Ann', 'Lee', 'ann@lee.com'))],
      remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com'))],
    });
    expect(result.autoLinks).toEqual([]);
    expect(result.suggestions.map((s) => [s.localId, s.cause])).toEqual([['l1', 'contested'], ['l2', 'contested']]);
    expect(result.suggestions[0]?.explanation).toBe('Remote contact r1 also passes for 1 other local contact: confirm which one it is');
  });

  it('respects existing links on both sides', () => {
    const result = matchContacts({
      locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com')), local('l2', person('Ann', 'Lee', 'ann@lee.com'))],
      remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com')), remote('r2', person('Bo', 'Chan', 'bo@chan.com'))],
      existingLinks: [{ localId: 'l1', remoteId: 'r9' }, { localId: 'l8', remoteId: 'r2' }],
    });
    expect(links(result)).toEqual([['l2', 'r1']]);
    expect(result.stats).toMatchObject({ localsAlreadyLinked: 1, remotesAlreadyLinked: 1 });
    const remoteTaken = matchContacts({
      locals: [local('l2', person('Ann', 'Lee', 'ann@lee.com'))],
      remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com'))],
      existingLinks: [{ localId: 'l1', remoteId: 'r1' }],
    });
    expect(remoteTaken).toMatchObject({ autoLinks: [], suggestions: [] });
  });

  it.each(['inactive', 'archived', 'merged', 'deleted'] as const)('a remote contact that is %s is never a candidate', (status) => {
    const result = matchContacts({ locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com'))], remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com'), status)] });
    expect(result).toMatchObject({ autoLinks: [], suggestions: [], stats: { remotesNotActive: 1 } });
  });

  it('matches customers with customers only, unless the rules allow any kind', () => {
    const input = { locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com'))], remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com', undefined, { kind: 'supplier' }))] };
    expect(matchContacts(input).autoLinks).toEqual([]);
    expect(links(matchContacts({ ...input, rules: { sameKindOnly: false } }))).toEqual([['l1', 'r1']]);
  });

  it('links on the tax number alone, but not two branches that share it', () => {
    const acme = (name: string, email: string) => contact({ companyName: name, displayName: name, taxNumber: '51 824 753 556', emails: [{ address: email, type: 'work' }] });
    expect(links(matchContacts({ locals: [local('l1', contact({ companyName: 'Acme Holdings', taxNumber: '51824753556' }))], remotes: [remote('r1', acme('ACME HOLDINGS PTY LTD', 'ap@acme.com.au'))] }))).toEqual([['l1', 'r1']]);
    const branches = matchContacts({ locals: [local('l1', acme('Acme Sydney Pty Ltd', 'syd@acme.com.au'))], remotes: [remote('r1', acme('Acme Melbourne Pty Ltd', 'mel@acme.com.au'))] });
    expect(branches.autoLinks).toEqual([]);
    expect(branches.suggestions[0]?.candidates[0]?.reasons[0]).toBe('Same tax number (51824753556)');
  });

  it('follows the configured fields and thresholds', () => {
    const input = { locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com'))], remotes: [remote('r1', person('Ann', 'Lee'))] };
    expect(matchContacts(input).autoLinks).toEqual([]);
    expect(links(matchContacts({ ...input, rules: { autoLinkScore: 0.45 } }))).toEqual([['l1', 'r1']]);
    expect(matchContacts({ ...input, rules: { autoLinkScore: 0.45, order: ['email', 'phone'] } })).toMatchObject({ autoLinks: [], suggestions: [] });
    const ordered = matchContacts({
      locals: [local('l1', person('Ann', 'Lee', 'ann@lee.com', '0412 345 678'))],
      remotes: [remote('r1', person('Ann', 'Lee', 'ann@lee.com', '0412 345 678'))],
      rules: { order: ['phone', 'name', 'email'] },
    });
    expect(ordered.autoLinks[0]?.reasons).toEqual(['Same phone (412345678)', "Same name ('Ann Lee')", 'Same e-mail (ann@lee.com)']);
  });

  it.each([
    [{ autoLinkScore: 1.5 }, 'rules.autoLinkScore is 1.5: give a number from 0 to 1'],
    [{ suggestionScore: 0.9, autoLinkScore: 0.8 }, 'rules.suggestionScore (0.9) is above rules.autoLinkScore (0.8): lower it'],
    [{ order: ['email', 'email'] as const }, 'rules.order names "email" twice: list each field once'],
    [{ maxSuggestions: 0 }, 'rules.maxSuggestions is 0: give a whole number of at least 1'],
  ])('refuses rules %o with a message that names the field', (rules, message) => {
    expect(() => matchContacts({ locals: [], remotes: [], rules })).toThrow(message);
  });

  it('refuses duplicate ids, naming the list and the position', () => {
    expect(() => matchContacts({ locals: [local('a', person('A', 'B')), local('a', person('C', 'D'))], remotes: [] })).toThrow('locals[1].id "a" appears twice: ids must be unique within locals');
  });
});

// ---- properties ------------------------------------------------------------------------------

const GIVEN = ['Ann', 'Bob', 'Chloé', 'Dan'];
const FAMILY = ['Lee', 'Núñez', 'Smith'];
const arbContact: fc.Arbitrary<Contact> = fc
  .record({
    name: fc.option(fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)), { nil: undefined }),
    lastFirst: fc.boolean(),
    company: fc.option(fc.constantFrom('Acme Pty Ltd', 'ACME Limited', 'Globex Inc'), { nil: undefined }),
    email: fc.option(fc.constantFrom('ann@lee.com', 'bob@smith.com', 'family@home.net', 'Ann@Lee.com'), { nil: undefined }),
    phone: fc.option(fc.constantFrom('0412 345 678', '+61 412 345 678', '(02) 9876 5432'), { nil: undefined }),
    tax: fc.option(fc.constantFrom('51 824 753 556', '12 345 678 901'), { nil: undefined }),
    kind: fc.constantFrom('customer' as const, 'customer' as const, 'supplier' as const),
  })
  .map(({ name, lastFirst, company, email, phone, tax, kind }) => {
    const c: Contact = contact({ kind });
    if (name) {
      if (lastFirst) c.displayName = `${name[1]}, ${name[0]}`;
      else Object.assign(c, { givenName: name[0], familyName: name[1], displayName: `${name[0]} ${name[1]}` });
    }
    if (company) {
      c.companyName = company;
      c.displayName ??= company;
    }
    if (email) c.emails = [{ address: email, type: 'primary' }];
    if (phone) c.phones = [{ number: phone, type: 'primary' }];
    if (tax) c.taxNumber = tax;
    return c;
  });
const arbPopulation = fc.record({
  locals: fc.array(arbContact, { maxLength: 7 }).map((cs) => cs.map((c, i) => local(`l${i}`, c))),
  remotes: fc.array(arbContact, { maxLength: 7 }).map((cs) => cs.map((c, i) => remote(`r${i}`, c))),
});

const rules = resolveMatchRules();
/** Which remote ids pass for which local ids, by comparing every pair (the naive way). */
function passingPairs(locals: readonly LocalContactInput[], remotes: readonly RemoteContactInput[]): [string, string][] {
  const out: [string, string][] = [];
  for (const l of locals) {
    for (const r of remotes) {
      if (l.contact.kind !== r.contact.kind) continue;
      if (scoreContactPair(normaliseContact(l.contact), normaliseContact(r.contact), rules).passes) out.push([l.id, r.id]);
    }
  }
  return out;
}

/** Case, spacing and accents changed the way another system might store the same text. */
function restyle(text: string, seed: number): string {
  const accents: Record<string, string> = { a: 'á', e: 'ë', o: 'ö', u: 'ü', n: 'ñ', c: 'ç' };
  return [...text].map((ch, i) => {
    const r = (seed >> (i % 24)) & 7;
    if (r === 0) return ch.toUpperCase();
    if (r === 1) return ch.toLowerCase();
    if (r === 2 && ch === ' ') return '   ';
    if (r === 3) return accents[ch] ?? ch;
    return ch;
  }).join('');
}

describe('matchContacts — properties', () => {
  it('never auto-links one remote (or one local) twice', () => {
    fc.assert(fc.property(arbPopulation, ({ locals, remotes }) => {
      const { autoLinks } = matchContacts({ locals, remotes });
      expect(new Set(autoLinks.map((a) => a.remoteId)).size).toBe(autoLinks.length);
      expect(new Set(autoLinks.map((a) => a.localId)).size).toBe(autoLinks.length);
    }));
  });

  it('auto-links exactly the pairs that are each other\'s only passing candidate, as a naive all-pairs check finds them', () => {
    fc.assert(fc.property(arbPopulation, ({ locals, remotes }) => {
      const passing = passingPairs(locals, remotes);
      const unique = passing.filter(([l, r]) => passing.filter((p) => p[0] === l).length === 1 && passing.filter((p) => p[1] === r).length === 1);
      expect(links(matchContacts({ locals, remotes }))).toEqual(unique);
    }));
  });

  it('gives the same links whatever the case, spacing or accents of names and e-mails', () => {
    fc.assert(fc.property(arbPopulation, fc.integer(), ({ locals, remotes }, seed) => {
      const restyled = remotes.map((r, i) => ({
        ...r,
        contact: {
          ...r.contact,
          ...(r.contact.givenName ? { givenName: restyle(r.contact.givenName, seed + i) } : {}),
          ...(r.contact.familyName ? { familyName: restyle(r.contact.familyName, seed - i) } : {}),
          ...(r.contact.displayName ? { displayName: restyle(r.contact.displayName, seed ^ i) } : {}),
          ...(r.contact.companyName ? { companyName: restyle(r.contact.companyName, seed * 3 + i) } : {}),
          emails: r.contact.emails.map((e) => ({ ...e, address: ` ${e.address.toUpperCase()} ` })),
        },
      }));
      const before = matchContacts({ locals, remotes });
      const after = matchContacts({ locals, remotes: restyled });
      expect(links(after)).toEqual(links(before));
      expect(after.suggestions.map((s) => [s.localId, s.cause])).toEqual(before.suggestions.map((s) => [s.localId, s.cause]));
    }));
  });

  it('adding a remote contact that passes for nobody never changes the existing auto-links', () => {
    fc.assert(fc.property(arbPopulation, arbContact, ({ locals, remotes }, extra) => {
      const added = remote('r-extra', extra);
      fc.pre(passingPairs(locals, [added]).length === 0);
      expect(links(matchContacts({ locals, remotes: [...remotes, added] }))).toEqual(links(matchContacts({ locals, remotes })));
    }));
  });

  it('already-linked contacts never appear in auto-links or suggestions', () => {
    fc.assert(fc.property(arbPopulation, fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 4 }), ({ locals, remotes }, pairs) => {
      const existingLinks = pairs.map(([l, r]) => ({ localId: `l${l}`, remoteId: `r${r}` }));
      const result = matchContacts({ locals, remotes, existingLinks });
      const linkedLocals = new Set(existingLinks.map((l) => l.localId));
      const linkedRemotes = new Set(existingLinks.map((l) => l.remoteId));
      for (const a of result.autoLinks) expect(linkedLocals.has(a.localId) || linkedRemotes.has(a.remoteId)).toBe(false);
      for (const s of result.suggestions) {
        expect(linkedLocals.has(s.localId)).toBe(false);
        for (const c of s.candidates) expect(linkedRemotes.has(c.remoteId)).toBe(false);
      }
    }));
  });

  it('the order of the remote list does not change which pairs are linked', () => {
    fc.assert(fc.property(arbPopulation, ({ locals, remotes }) => {
      const sorted = (r: MatchResult) => links(r).sort((a, b) => String(a).localeCompare(String(b)));
      expect(sorted(matchContacts({ locals, remotes: [...remotes].reverse() }))).toEqual(sorted(matchContacts({ locals, remotes })));
    }));
  });
});
