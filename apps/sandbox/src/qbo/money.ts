/**
 * Amounts in integer cents. QBO sends and accepts decimal numbers (`"Amount": 100.1`); the sandbox
 * converts them through their decimal text, never through float arithmetic, so sums are exact.
 */

/** Cents of a decimal amount, rounded half away from zero at the third decimal; undefined if not a finite number. */
export function toCents(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const text = Math.abs(value) < 1e-6 && value !== 0 ? value.toFixed(10) : Math.abs(value) >= 1e21 ? undefined : String(value);
  if (text === undefined) return undefined;
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '0', fraction = '', exponent] = match;
  let digits = whole + fraction;
  let point = whole.length + (exponent === undefined ? 0 : Number(exponent));
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  digits = digits.padEnd(point + 3, '0');
  const cents = Number(digits.slice(0, point + 2) || '0');
  const roundUp = Number(digits[point + 2] ?? '0') >= 5 ? 1 : 0;
  const result = cents + roundUp;
  return sign === '-' && result !== 0 ? -result : result;
}

/** The decimal number QBO writes for an amount in cents (exact for every value below 2^53 cents). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** `qty × unit price` in cents, computed on the decimal texts (unit prices may have up to 5 decimals). */
export function multiplyToCents(quantity: number, unitPrice: number): number | undefined {
  const scaled = (value: number): { n: bigint; scale: number } | undefined => {
    const text = String(value);
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (match === null) return undefined;
    const fraction = match[3] ?? '';
    return { n: BigInt(`${match[1] ?? ''}${match[2] ?? '0'}${fraction}`), scale: fraction.length };
  };
  const q = scaled(quantity);
  const p = scaled(unitPrice);
  if (q === undefined || p === undefined) return undefined;
  const product = q.n * p.n; // scale q.scale + p.scale
  const shift = q.scale + p.scale - 2;
  if (shift <= 0) return Number(product * 10n ** BigInt(-shift));
  const divisor = 10n ** BigInt(shift);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  let cents = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) cents += 1n;
  return Number(negative ? -cents : cents);
}
