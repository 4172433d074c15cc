import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldMapping } from '../mapping/field-mapping.js';
import {
  decideSync, directionsFromMapping, syncContentHash,
  type DecideSyncInput, type FieldProvenance, type SyncConnection, type SyncFieldDirection, type SyncOutcome, type SyncValues,
} from './decide-sync.js';

const T0 = '2026-11-23T10:00:00.000Z';
const T1 = '2026-11-23T10:01:00.000Z';
const T2 = '2026-11-23T10:02:00.000Z';

const conn = (id: string, system: 'accounting' | 'crm', directions: Record<string, SyncFieldDirection>, base: SyncValues | null = { phone: 'x', email: 'e' }): SyncConnection => ({
  id, system, name: id.toUpperCase(), directions, base, lastPushedHash: null,
});

const both = { phone: 'both', email: 'both' } as const;
const canonical = { phone: 'x', email: 'e' };

function input(over: Partial<DecideSyncInput> & Pick<DecideSyncInput, 'change'>): DecideSyncInput {
  return {
    canonical,
    connections: [conn('qbo', 'accounting', both), conn('hubspot', 'crm', both), conn('xero', 'accounting', both)],
    policy: { owners: {} },
    ...over,
  };
}

const writesTo = (out: SyncOutcome, id: string) => out.writes.find((w) => w.connectionId === id)?.values;

describe('decideSync: table', () => {
  it('only_one_changed: a change from one side wins and fans out to every other connection that takes the field', () => {
    const out = decideSync(input({ change: { source: 'qbo', values: { phone: '+61 2 1111' }, changedAt: T1 } }));
    expect(out.canonical.phone).toBe('+61 2 1111');
    expect(out.decisions).toEqual([expect.objectContaining({ field: 'phone', winner: 'qbo', rule: 'only_one_changed', lost: { source: 'hub', value: 'x' } })]);
    expect(writesTo(out, 'hubspot')).toEqual({ phone: '+61 2 1111' });
    expect(writesTo(out, 'xero')).toEqual({ phone: '+61 2 1111' });
    expect(writesTo(out, 'qbo')).toBeUndefined();
    expect(out.connections.qbo?.base.phone).toBe('+61 2 1111');
    expect(out.connections.hubspot?.pending).toEqual({ phone: '+61 2 1111' });
    expect(out.connections.hubspot?.lastPushedHash).toBe(syncContentHash({ phone: '+61 2 1111' }));
    expect(out.provenance.phone).toEqual({ source: 'qbo', system: 'accounting', changedAt: T1 });
  });

  it('same: a value equal to the canonical one writes nothing and confirms the base', () => {
    const out = decideSync(input({ change: { source: 'hubspot', values: { phone: 'x', email: '' }, changedAt: T1 }, canonical: { phone: 'x', email: null } }));
    expect(out.writes).toEqual([]);
    expect(out.decisions.map((d) => d.rule)).toEqual(['same', 'same']);
    expect(out.connections.hubspot?.base).toEqual({ phone: 'x', email: null });
  });

  it('echo: the content we last pushed coming back produces nothing, even when the base is stale', () => {
    const pushed = { phone: '+1 555' };
    const hubspot = { ...conn('hubspot', 'crm', both), pending: pushed, lastPushedHash: syncContentHash(pushed) };
    const out = decideSync(input({
      change: { source: 'hubspot', values: pushed, changedAt: T2 },
      canonical: { phone: 'changed since', email: 'e' },
      connections: [conn('qbo', 'accounting', both), hubspot],
    }));
    expect(out.echo).toBe(true);
    expect(out.writes).toEqual([]);
    expect(out.canonical.phone).toBe('changed since');
    expect(out.connections.hubspot).toEqual({ base: { phone: '+1 555', email: 'e' }, pending: {}, lastPushedHash: syncContentHash(pushed), recentWrites: {} });
  });

  it('owner: a change from the owner system wins over a value another system set, even when older', () => {
    const out = decideSync(input({
      change: { source: 'qbo', values: { phone: 'from qbo' }, changedAt: T0 },
      canonical: { phone: 'from crm', email: 'e' },
      provenance: { phone: { source: 'hubspot', system: 'crm', changedAt: T2 } },
      policy: { owners: { phone: 'accounting' } },
    }));
    expect(out.decisions[0]).toMatchObject({ winner: 'qbo', rule: 'owner', value: 'from qbo', lost: { source: 'hubspot', value: 'from crm' } });
    expect(out.decisions[0]?.explanation).toContain('accounting owns phone');
    expect(writesTo(out, 'hubspot')).toEqual({ phone: 'from qbo' });
  });

  it('owner: a change from another system loses to the owner\'s value, which is written back to it', () => {
    const out = decideSync(input({
      change: { source: 'hubspot', values: { phone: 'crm edit' }, changedAt: T2 },
      canonical: { phone: 'owner value', email: 'e' },
      provenance: { phone: { source: 'xero', system: 'accounting', changedAt: T0 } },
      policy: { owners: { phone: 'accounting' } },
    }));
    expect(out.canonical.phone).toBe('owner value');
    expect(out.decisions[0]).toMatchObject({ winner: 'xero', rule: 'owner', lost: { source: 'hubspot', value: 'crm edit' } });
    expect(out.writes).toEqual([{ connectionId: 'hubspot', values: { phone: 'owner value' }, hash: syncContentHash({ phone: 'owner value' }) }]);
  });

  it('newer: both changed since the last sync, the later change wins', () => {
    const connections = [conn('qbo', 'accounting', both, { phone: 'x' }), conn('hubspot', 'crm', both, { phone: 'x' })];
    const provenance: Record<string, FieldProvenance> = { phone: { source: 'hubspot', system: 'crm', changedAt: T1 } };
    const older = decideSync({ change: { source: 'qbo', values: { phone: 'q' }, changedAt: T0 }, canonical: { phone: 'h' }, provenance, connections, policy: { owners: {} } });
    expect(older.decisions[0]).toMatchObject({ winner: 'hubspot', rule: 'newer', value: 'h', lost: { source: 'qbo', value: 'q' } });
    expect(older.writes).toEqual([{ connectionId: 'qbo', values: { phone: 'h' }, hash: syncContentHash({ phone: 'h' }) }]);
    const newer = decideSync({ change: { source: 'qbo', values: { phone: 'q' }, changedAt: T2 }, canonical: { phone: 'h' }, provenance, connections, policy: { owners: {} } });
    expect(newer.decisions[0]).toMatchObject({ winner: 'qbo', rule: 'newer', value: 'q', lost: { source: 'hubspot', value: 'h' } });
    expect(writesTo(newer, 'hubspot')).toEqual({ phone: 'q' });
  });

  it('tie: equal or unknown times go to the tie-breaker', () => {
    const connections = [conn('qbo', 'accounting', both, { phone: 'x' }), conn('hubspot', 'crm', both, { phone: 'x' })];
    const base = { change: { source: 'qbo', values: { phone: 'q' }, changedAt: T1 }, canonical: { phone: 'h' }, connections };
    expect(decideSync({ ...base, policy: { owners: {} } }).decisions[0]).toMatchObject({ rule: 'tie', value: 'h', lost: { source: 'qbo', value: 'q' } });
    expect(decideSync({ ...base, policy: { owners: {}, tieBreaker: 'theirs' } }).decisions[0]).toMatchObject({ rule: 'tie', value: 'q', lost: { source: 'hub', value: 'h' } });
  });

  it('direction: a field the source only receives (out) or does not sync (off) is ignored, its value kept in the decision', () => {
    const out = decideSync(input({
      change: { source: 'hubspot', values: { phone: 'p', email: 'm' }, changedAt: T1 },
      connections: [conn('qbo', 'accounting', both), conn('hubspot', 'crm', { phone: 'out' })],
    }));
    expect(out.canonical).toEqual(canonical);
    expect(out.writes).toEqual([]);
    expect(out.decisions.map((d) => [d.field, d.rule, d.lost?.value])).toEqual([['phone', 'direction', 'p'], ['email', 'direction', 'm']]);
    expect(out.decisions[1]?.explanation).toContain('direction off');
  });

  it('a write goes only to connections that take the field out, and only with values that differ from what they hold', () => {
    const out = decideSync({
      change: { source: 'qbo', values: { phone: 'new', email: 'new@x' }, changedAt: T1 },
      canonical,
      connections: [
        conn('qbo', 'accounting', both),
        conn('hubspot', 'crm', { phone: 'in', email: 'out' }),
        { ...conn('xero', 'accounting', { phone: 'both', email: 'both' }), pending: { phone: 'new' } },
      ],
      policy: { owners: {} },
    });
    expect(writesTo(out, 'hubspot')).toEqual({ email: 'new@x' });
    expect(writesTo(out, 'xero')).toEqual({ email: 'new@x' });
  });

  it('a hub edit goes out to every connection that takes it', () => {
    const out = decideSync(input({ change: { source: 'hub', values: { email: 'typed@hub' }, changedAt: T1 } }));
    expect(out.writes.map((w) => w.connectionId)).toEqual(['qbo', 'hubspot', 'xero']);
    expect(out.decisions[0]).toMatchObject({ winner: 'hub', rule: 'only_one_changed', lost: { source: 'hub', value: 'e' } });
  });

  it('a change that crossed our write in flight to its source is sent back to the source when it wins', () => {
    const out = decideSync({
      change: { source: 'hubspot', values: { phone: 'crm' }, changedAt: T2 },
      canonical: { phone: 'acc' },
      provenance: { phone: { source: 'qbo', system: 'accounting', changedAt: T1 } },
      connections: [
        conn('qbo', 'accounting', both, { phone: 'acc' }),
        { ...conn('hubspot', 'crm', both, { phone: 'x' }), pending: { phone: 'acc' }, lastPushedHash: syncContentHash({ phone: 'acc' }) },
      ],
      policy: { owners: {} },
    });
    expect(out.decisions[0]).toMatchObject({ winner: 'hubspot', rule: 'newer' });
    expect(writesTo(out, 'hubspot')).toEqual({ phone: 'crm' });
    expect(writesTo(out, 'qbo')).toEqual({ phone: 'crm' });
  });

  it('the README example: a QuickBooks phone edit goes to HubSpot with a readable decision', () => {
    const phone = 'phones[primary]';
    const out = decideSync({
      change: { source: 'qbo', values: { [phone]: '+61 2 9999 1234' }, changedAt: '2026-11-23T10:01:00Z' },
      canonical: { [phone]: '+61 2 8888 0000' },
      connections: [
        { id: 'qbo', system: 'accounting', name: 'QuickBooks', directions: { [phone]: 'both' }, base: { [phone]: '+61 2 8888 0000' }, lastPushedHash: null },
        { id: 'hubspot', system: 'crm', name: 'HubSpot', directions: { [phone]: 'both' }, base: { [phone]: '+61 2 8888 0000' }, lastPushedHash: null },
      ],
      policy: { owners: {} },
    });
    expect(out.writes.map((w) => [w.connectionId, w.values])).toEqual([['hubspot', { [phone]: '+61 2 9999 1234' }]]);
    expect(out.decisions[0]?.explanation).toBe("phones[primary]: '+61 2 9999 1234' from QuickBooks wins (only it changed since the last sync); the previous '+61 2 8888 0000' kept in the audit log");
  });

  it('own_write: an older write of ours read back after a newer one is never taken as a change (no ping-pong)', () => {
    let connections: SyncConnection[] = [conn('qbo', 'accounting', both, { phone: 'x' }), conn('hubspot', 'crm', both, { phone: 'x' })];
    let state = { canonical: { phone: 'x' } as SyncValues, provenance: {} as Readonly<Record<string, FieldProvenance>> };
    const step = (source: string, values: SyncValues, changedAt: string) => {
      const out = decideSync({ change: { source, values, changedAt }, ...state, connections, policy: { owners: {} } });
      state = { canonical: out.canonical, provenance: out.provenance };
      connections = connections.map((c) => ({ ...c, ...out.connections[c.id] }));
      return out;
    };
    expect(writesTo(step('qbo', { phone: 'a' }, T0), 'hubspot')).toEqual({ phone: 'a' });
    expect(writesTo(step('qbo', { phone: 'c' }, T1), 'hubspot')).toEqual({ phone: 'c' });
    // HubSpot's record is read while our first write has landed and the second has not.
    const late = step('hubspot', { phone: 'a' }, T2);
    expect(late.writes).toEqual([]);
    expect(late.canonical.phone).toBe('c');
    expect(late.decisions[0]).toMatchObject({ rule: 'own_write', value: 'c', lost: { source: 'hubspot', value: 'a' } });
    expect(step('hubspot', { phone: 'c' }, '2026-11-23T10:03:00.000Z').echo).toBe(true);
    expect(state.canonical.phone).toBe('c');
  });

  it('bad input gets an error naming the field and the fix', () => {
    expect(() => decideSync(input({ change: { source: 'nope', values: {}, changedAt: T1 } }))).toThrow(/change.source "nope" is not linked.*"qbo"/);
    expect(() => decideSync(input({ change: { source: 'qbo', values: {}, changedAt: 'yesterday' } }))).toThrow(/change.changedAt "yesterday"/);
    expect(() => decideSync(input({ change: { source: 'qbo', values: {}, changedAt: T1 }, connections: [conn('qbo', 'accounting', both), conn('qbo', 'crm', both)] }))).toThrow(/id "qbo" appears twice/);
  });

  it('directionsFromMapping reads the mapping: disabled rules are off', () => {
    const mapping: FieldMapping = {
      version: 1, effectiveFrom: T0,
      rules: [
        { source: 'phones[primary]', target: 'Phone', enabled: true, direction: 'both', transform: { kind: 'none' } },
        { source: 'emails[primary]', target: 'Email', enabled: false, direction: 'both', transform: { kind: 'none' } },
        { source: 'displayName', target: 'Name', enabled: true, direction: 'out', transform: { kind: 'none' } },
        { source: 'displayName', target: 'Name2', enabled: true, direction: 'in', transform: { kind: 'none' } },
      ],
    };
    expect(directionsFromMapping(mapping)).toEqual({ 'phones[primary]': 'both', 'emails[primary]': 'off', displayName: 'both' });
  });
});

// ---- A small world: the hub plus three connections, each holding its own record. ----

const FIELDS = ['phone', 'email', 'city'] as const;
const IDS = ['a', 'b', 'c'] as const;
const direction = fc.constantFrom<SyncFieldDirection>('in', 'out', 'both', 'off');
const value = fc.constantFrom('v1', 'v2', 'v3', null);
const systems = fc.tuple(...IDS.map(() => fc.constantFrom<'accounting' | 'crm'>('accounting', 'crm')));
const directionsArb = fc.tuple(...IDS.map(() => fc.record({ phone: direction, email: direction, city: direction })));

interface World {
  canonical: Record<string, string | null>;
  provenance: Record<string, FieldProvenance>;
  connections: SyncConnection[];
  records: Record<string, Record<string, string | null>>;
}

function newWorld(sys: readonly ('accounting' | 'crm')[], dirs: readonly Record<string, SyncFieldDirection>[], start: Record<string, string | null>): World {
  return {
    canonical: { ...start },
    provenance: {},
    connections: IDS.map((id, i) => ({ id, system: sys[i] ?? 'crm', name: id.toUpperCase(), directions: dirs[i] ?? {}, base: { ...start }, lastPushedHash: null })),
    records: Object.fromEntries(IDS.map((id) => [id, { ...start }])),
  };
}

function apply(world: World, out: SyncOutcome): void {
  world.canonical = { ...out.canonical };
  world.provenance = { ...out.provenance };
  world.connections = world.connections.map((c) => {
    const s = out.connections[c.id];
    return s ? { ...c, ...s } : c;
  });
}

function deliver(world: World, source: string, values: SyncValues, changedAt: string, policy: DecideSyncInput['policy']): SyncOutcome {
  const out = decideSync({ change: { source, values, changedAt }, canonical: world.canonical, provenance: world.provenance, connections: world.connections, policy });
  apply(world, out);
  return out;
}

/** Lands the writes on the remote records, then delivers each written record's content back, until nothing more is written. */
function settle(world: World, writes: readonly SyncOutcome['writes'][number][], policy: DecideSyncInput['policy'], clock: { t: number }): number {
  let queue = [...writes];
  let rounds = 0;
  while (queue.length > 0) {
    rounds++;
    if (rounds > 10) throw new Error('writes keep coming: a loop');
    for (const w of queue) Object.assign(world.records[w.connectionId] ?? {}, w.values);
    const next: SyncOutcome['writes'][number][] = [];
    for (const id of new Set(queue.map((w) => w.connectionId))) {
      const record = world.records[id] ?? {};
      const fields = Object.keys(queue.filter((w) => w.connectionId === id).at(-1)?.values ?? {});
      const content = Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));
      clock.t += 1000;
      next.push(...deliver(world, id, content, new Date(clock.t).toISOString(), policy).writes);
    }
    queue = next;
  }
  return rounds;
}

describe('decideSync: properties', () => {
  it('(1) replaying every write back from its target produces no further writes, for any 3-connection topology and directions', () => {
    fc.assert(fc.property(
      systems, directionsArb, fc.record({ phone: value, email: value, city: value }),
      fc.constantFrom('a', 'b', 'c', 'hub'), fc.record({ phone: value, email: value }), fc.boolean(),
      (sys, dirs, start, source, values, keepHash) => {
        const world = newWorld(sys, dirs, start);
        const out = deliver(world, source, values, T1, { owners: {} });
        for (const w of out.writes) {
          if (!keepHash) world.connections = world.connections.map((c) => (c.id === w.connectionId ? { ...c, lastPushedHash: null } : c));
          const replay = deliver(world, w.connectionId, w.values, T2, { owners: {} });
          expect(replay.writes).toEqual([]);
        }
      },
    ));
  });

  it('(2) concurrent edits on two sides converge to the same value everywhere, the one the policy picks', () => {
    const owners = fc.constantFrom<Record<string, 'accounting' | 'crm'>>({}, { phone: 'accounting' }, { phone: 'crm' });
    fc.assert(fc.property(
      systems, fc.constantFrom(['a', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'b']), fc.boolean(), owners, fc.boolean(),
      (sys, [first, second], firstIsOlder, ownerMap, deliverInOrder) => {
        const p = first ?? 'a';
        const q = second ?? 'b';
        const world = newWorld(sys, IDS.map(() => ({ phone: 'both' })), { phone: 'start' });
        const tp = firstIsOlder ? T0 : T1;
        const tq = firstIsOlder ? T1 : T0;
        world.records[p] = { phone: 'from-p' };
        world.records[q] = { phone: 'from-q' };
        // Both changes reach the hub before any write lands.
        const order = deliverInOrder ? [[p, 'from-p', tp], [q, 'from-q', tq]] as const : [[q, 'from-q', tq], [p, 'from-p', tp]] as const;
        const policy = { owners: ownerMap };
        const writes = order.flatMap(([id, v, at]) => deliver(world, id, { phone: v }, at, policy).writes);
        settle(world, writes, policy, { t: Date.parse(T2) });

        const sysOf = (id: string) => world.connections.find((c) => c.id === id)?.system;
        const owner = ownerMap.phone;
        const ownerSide = owner === undefined ? undefined : [p, q].filter((id) => sysOf(id) === owner);
        const expected = ownerSide?.length === 1 ? (ownerSide[0] === p ? 'from-p' : 'from-q') : firstIsOlder ? 'from-q' : 'from-p';
        expect(world.canonical.phone).toBe(expected);
        for (const id of IDS) expect(world.records[id]?.phone).toBe(expected);
      },
    ));
  });

  it('(3) a field is never written against its direction, nor taken in against it', () => {
    fc.assert(fc.property(
      systems, directionsArb, fc.record({ phone: value, email: value, city: value }),
      fc.constantFrom('a', 'b', 'c', 'hub'), fc.record({ phone: value, email: value, city: value }),
      (sys, dirs, start, source, values) => {
        const world = newWorld(sys, dirs, start);
        const before = { ...world.canonical };
        const out = deliver(world, source, values, T1, { owners: {} });
        for (const w of out.writes) {
          const c = world.connections.find((x) => x.id === w.connectionId);
          for (const f of Object.keys(w.values)) expect(['out', 'both']).toContain(c?.directions[f]);
        }
        const src = world.connections.find((c) => c.id === source);
        for (const f of FIELDS) {
          if (src && !['in', 'both'].includes(src.directions[f] ?? 'off')) expect(out.canonical[f]).toBe(before[f]);
        }
      },
    ));
  });

  it('(4) every value that loses is in a decision', () => {
    fc.assert(fc.property(
      systems, directionsArb, fc.record({ phone: value, email: value, city: value }), fc.record({ phone: value, email: value, city: value }),
      fc.constantFrom('a', 'b', 'c', 'hub'), fc.record({ phone: value, email: value, city: value }),
      fc.constantFrom<Record<string, 'accounting' | 'crm' | 'hub'>>({}, { phone: 'accounting', email: 'crm' }, { city: 'hub' }),
      fc.constantFrom<'ours' | 'theirs'>('ours', 'theirs'),
      (sys, dirs, start, hubNow, source, values, owners, tieBreaker) => {
        const world = newWorld(sys, dirs, start);
        world.canonical = { ...hubNow };
        world.provenance = Object.fromEntries(FIELDS.map((f, i) => [f, { source: IDS[i] ?? 'a', system: sys[i] ?? 'crm', changedAt: T1 }]));
        const out = deliver(world, source, values, i0(source), { owners, tieBreaker });
        for (const f of FIELDS) {
          const incoming = values[f];
          const before = hubNow[f] ?? null;
          const after = out.canonical[f] ?? null;
          if (incoming !== after) expect(out.decisions.find((d) => d.field === f)?.lost?.value).toBe(incoming);
          if (before !== after) expect(out.decisions.find((d) => d.field === f)?.lost?.value).toBe(before);
          const decision = out.decisions.find((d) => d.field === f);
          expect(decision?.explanation).toMatch(new RegExp(`^${f}: `));
        }
      },
    ));
  });
});

/** Some changes are older than the hub's values, some newer, some at the same time. */
function i0(source: string): string {
  return source === 'a' ? T0 : source === 'b' ? T1 : T2;
}
