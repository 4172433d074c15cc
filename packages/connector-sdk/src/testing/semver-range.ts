/**
 * A small `semver.satisfies` for the ranges connector manifests use in `host`: `*`, `1.2.3`,
 * `^1.2.3`, `~1.2.3`, `1.x`, comparators (`>=0.1.0 <2`) and `||`. Pre-release versions are not
 * supported (the SDK has none). The host uses the real `semver`; this keeps the kit dependency-free.
 */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parse(version);
  if (!v) return false;
  return range.split('||').some((alternative) => {
    const parts = alternative.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return true;
    return parts.every((part) => matches(v, part));
  });
}

type Triple = readonly [number, number, number];

function parse(text: string): Triple | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** "1", "1.2", "1.x", "1.2.*" → the lowest version and how many parts were given. */
function partial(text: string): { low: Triple; given: number } | undefined {
  const pieces = text.replace(/^v/, '').split('.');
  if (pieces.length > 3) return undefined;
  const nums: number[] = [];
  for (const piece of pieces) {
    if (/^(x|X|\*)$/.test(piece)) break;
    if (!/^\d+$/.test(piece)) return undefined;
    nums.push(Number(piece));
  }
  return { low: [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0], given: nums.length };
}

function bump(low: Triple, index: number): Triple {
  if (index <= 0) return [low[0] + 1, 0, 0];
  if (index === 1) return [low[0], low[1] + 1, 0];
  return [low[0], low[1], low[2] + 1];
}

function matches(v: Triple, part: string): boolean {
  if (part === '*' || part === 'x' || part === 'X') return true;
  const op = /^(\^|~|>=|<=|>|<|=)?(.+)$/.exec(part);
  if (!op) return false;
  const operator = op[1] ?? '';
  const target = partial(op[2] ?? '');
  if (!target) return false;
  const { low, given } = target;
  switch (operator) {
    case '^': {
      // ^1.2.3 <2.0.0; ^0.2.3 <0.3.0; ^0.0.3 <0.0.4 (the left-most non-zero part is fixed).
      const fixed = low[0] !== 0 || given <= 1 ? 0 : low[1] !== 0 || given <= 2 ? 1 : 2;
      return compare(v, low) >= 0 && compare(v, bump(low, fixed)) < 0;
    }
    case '~':
      return compare(v, low) >= 0 && compare(v, bump(low, given <= 1 ? 0 : 1)) < 0;
    case '>=':
      return compare(v, low) >= 0;
    case '>':
      return given === 3 ? compare(v, low) > 0 : compare(v, bump(low, given - 1)) >= 0;
    case '<=':
      return given === 3 ? compare(v, low) <= 0 : compare(v, bump(low, given - 1)) < 0;
    case '<':
      return compare(v, low) < 0;
    default:
      return given === 3 ? compare(v, low) === 0 : compare(v, low) >= 0 && compare(v, bump(low, given - 1)) < 0;
  }
}
