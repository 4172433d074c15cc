/**
 * Money in Ledgerlink is always an integer count of minor units (cents) plus an ISO 4217 code.
 * These helpers convert between the decimal strings/numbers providers use and minor units
 * without binary floating point arithmetic (19.99 * 100 is 1998.9999999999998 in floats).
 */

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG', 'RWF', 'KMF', 'GNF', 'VUV', 'XPF', 'DJF', 'BIF']);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export interface Money {
  /** Integer minor units, e.g. 1999 for 19.99 USD. */
  readonly amount: number;
  /** ISO 4217 currency code, upper case. */
  readonly currency: string;
}

/** Number of decimal places of a currency's minor unit. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Converts a decimal amount ("19.99", 19.99, "-0.5") to integer minor units, rounding half away
 * from zero when the value has more decimals than the currency allows. Throws on anything that
 * is not a plain decimal number.
 */
export function toMinorUnits(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  const negative = match[1] === '-';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? '';
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const rest = fraction.slice(exponent);
  let minor = BigInt(whole + kept);
  if (rest.length > 0 && rest.charCodeAt(0) >= 53 /* '5' */) minor += 1n;
  const result = Number(negative ? -minor : minor);
  if (!Number.isSafeInteger(result)) throw new RangeError(`Amount out of range: ${text}`);
  return result === 0 ? 0 : result;
}

/** Converts integer minor units to the decimal string providers expect ("19.99"). */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Minor units must be a safe integer, got ${minor}`);
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/** Converts minor units to a JSON number with the currency's decimals (for providers that want numbers). */
export function minorUnitsToDecimalNumber(minor: number, currency: string): number {
  return Number(fromMinorUnits(minor, currency));
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
  // Shortest round-trip representation; expand exponent notation for very small/large values.
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
