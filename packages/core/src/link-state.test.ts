import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NO_LINK, transitionLink, type LinkCommand, type LinkSnapshot } from './link-state.js';

const linked = (remoteId: string): LinkSnapshot => ({ state: 'linked', remoteId, reason: null, idempotencyKey: null });

function apply(start: LinkSnapshot | null, ...commands: LinkCommand[]): LinkSnapshot {
  let state = start ?? NO_LINK;
  for (const command of commands) {
    const result = transitionLink(state, command);
    if (!result.ok) throw new Error(result.error);
    state = result.next;
  }
  return state;
}

describe('link state machine', () => {
  it('an upload goes pending with its idempotency key, then linked to the created remote record', () => {
    const pending = apply(null, { type: 'upload_started', idempotencyKey: 'k1' });
    expect(pending).toEqual({ state: 'pending', remoteId: null, reason: null, idempotencyKey: 'k1' });
    const result = transitionLink(pending, { type: 'linked', remoteId: '58', method: 'upload' });
    expect(result).toMatchObject({ ok: true, next: linked('58'), change: { type: 'linked', toRemoteId: '58' } });
  });

  it('a retried upload keeps the first idempotency key so the provider replays instead of creating twice', () => {
    const state = apply(null, { type: 'upload_started', idempotencyKey: 'first' }, { type: 'upload_started', idempotencyKey: 'second' });
    expect(state.idempotencyKey).toBe('first');
  });

  it('an uncertain failure keeps the key; a definite failure clears it and says why', () => {
    const pending = apply(null, { type: 'upload_started', idempotencyKey: 'k' });
    expect(apply(pending, { type: 'upload_failed', reason: 'time-out', outcomeUncertain: true })).toMatchObject({ state: 'pending', idempotencyKey: 'k' });
    expect(apply(pending, { type: 'upload_failed', reason: 'Duplicate name', outcomeUncertain: false })).toEqual({
      state: 'unlinked', remoteId: null, reason: 'Duplicate name', idempotencyKey: null,
    });
  });

  it('a merge re-points the link to the survivor', () => {
    const result = transitionLink(linked('7'), { type: 'remote_inactive', reason: 'merged', remoteId: '7', survivorId: '9' });
    expect(result).toMatchObject({ ok: true, next: linked('9'), change: { type: 'repointed', fromRemoteId: '7', toRemoteId: '9' } });
  });

  it.each(['inactive', 'archived', 'deleted'] as const)('a remote contact %s invalidates the link with a reason a person can act on', (reason) => {
    const result = transitionLink(linked('7'), { type: 'remote_inactive', reason, remoteId: '7' });
    expect(result.ok && result.next.state).toBe('invalid');
    expect(result.ok && result.next.reason).toMatch(new RegExp(`${reason}.*link this contact to another one or upload it again`));
  });

  it('a merge without a known survivor invalidates the link', () => {
    const result = transitionLink(linked('7'), { type: 'remote_inactive', reason: 'merged', remoteId: '7' });
    expect(result.ok && result.next.state).toBe('invalid');
  });

  it('news about a remote record the link no longer points at changes nothing', () => {
    expect(transitionLink(linked('9'), { type: 'remote_inactive', reason: 'deleted', remoteId: '7' }).ok).toBe(false);
  });

  it('an invalid link can be relinked or unlinked', () => {
    const invalid = apply(linked('7'), { type: 'remote_inactive', reason: 'archived', remoteId: '7' });
    expect(transitionLink(invalid, { type: 'linked', remoteId: '8', method: 'manual' })).toMatchObject({ ok: true, change: { type: 'relinked', fromRemoteId: '7', toRemoteId: '8' } });
    expect(transitionLink(invalid, { type: 'unlink', reason: 'by admin' })).toMatchObject({ ok: true, next: { state: 'unlinked' } });
  });

  it.each<[LinkSnapshot | null, LinkCommand]>([
    [null, { type: 'unlink', reason: 'x' }],
    [linked('1'), { type: 'upload_started', idempotencyKey: 'k' }],
    [linked('1'), { type: 'linked', remoteId: '1', method: 'manual' }],
    [null, { type: 'upload_failed', reason: 'x', outcomeUncertain: false }],
    [null, { type: 'remote_inactive', reason: 'deleted', remoteId: '1' }],
  ])('refuses an illegal transition from %o with %o', (from, command) => {
    const result = transitionLink(from, command);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/cannot take/);
  });

  it('whatever happens, a linked state always has a remote id and a pending state always has a key', () => {
    const command = fc.oneof(
      fc.record({ type: fc.constant('upload_started' as const), idempotencyKey: fc.string({ minLength: 1 }) }),
      fc.record({ type: fc.constant('linked' as const), remoteId: fc.string({ minLength: 1, maxLength: 3 }), method: fc.constant('manual' as const) }),
      fc.record({ type: fc.constant('upload_failed' as const), reason: fc.string(), outcomeUncertain: fc.boolean() }),
      fc.record({ type: fc.constant('unlink' as const), reason: fc.string() }),
      fc.record({
        type: fc.constant('remote_inactive' as const),
        reason: fc.constantFrom('merged' as const, 'inactive' as const, 'archived' as const, 'deleted' as const),
        remoteId: fc.string({ minLength: 1, maxLength: 3 }),
        survivorId: fc.string({ minLength: 1, maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
        let state: LinkSnapshot = NO_LINK;
        for (const c of commands) {
          const result = transitionLink(state, c);
          if (!result.ok) continue;
          state = result.next;
          if (state.state === 'linked' || state.state === 'invalid') expect(state.remoteId).toBeTruthy();
          if (state.state === 'pending') expect(state.idempotencyKey).toBeTruthy();
          if (state.state === 'unlinked') expect(state.remoteId).toBeNull();
        }
      }),
    );
  });
});
