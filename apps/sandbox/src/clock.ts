/**
 * Sandbox time. Everything with a lifetime (authorization codes, tokens, refresh-token grace) and
 * every timestamp the fake providers write reads this clock, so a test or a person can move it
 * forward (`POST /_control/clock`) instead of waiting an hour for a token to expire.
 */
export class SandboxClock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as the sandbox sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves sandbox time forward; it never goes back. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward: pass a positive number of milliseconds');
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
