/**
 * Exact decimal arithmetic for invoice lines: amounts are parsed from their decimal text into
 * integers (BigInt) and rounded half away from zero, so 3 × 19.99 is 59.97, never 59.970000000001.
 */

/** The decimal digits of a JSON number or numeric string, or undefined when it is not a number. */
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(12) : text;
  }
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return value.trim();
  return undefined;
}

/** Divides and rounds half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return negative ? -q : q;
}

/**
 * A decimal value as an integer count of 10^-dp units, rounded half away from zero
 * (`toUnits(19.995, 2)` → 2000n). Undefined when the value is not a number.
 */
export function toUnits(value: unknown, dp: number): bigint | undefined {
  const text = decimalText(value);
  if (text === undefined) return undefined;
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = (negative ? text.slice(1) : text).split('.');
  const extra = frac.length > dp ? frac.length - dp : 0;
  const digits = BigInt(`${whole}${frac.padEnd(dp, '0')}`);
  const rounded = extra === 0 ? digits : divRound(digits, 10n ** BigInt(extra));
  return negative ? -rounded : rounded;
}

/** An integer count of 10^-dp units as a JSON number (exact to the printed digits). */
export function fromUnits(units: bigint, dp: number): number {
  return Number(units) / 10 ** dp;
}
