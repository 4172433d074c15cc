import type { FieldTransform } from './field-mapping.js';

export type TransformResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string; readonly fix: string };

/** Cuts a string to at most `maxLength` UTF-16 units without splitting a surrogate pair. */
export function truncateText(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  let cut = value.slice(0, maxLength);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function toE164(raw: string, defaultCallingCode: string | undefined): TransformResult {
  const text = raw.trim().replace(/\(0\)/g, '');
  if (text === '') return { ok: true, value: '' };
  const compact = text.replace(/[\s\-.()/]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, message: `"${raw}" is not a phone number (it has letters or an extension)`, fix: 'keep only the number, without extension, on the contact' };
  }
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (defaultCallingCode) digits = defaultCallingCode + compact.replace(/^0/, '');
  else {
    return { ok: false, message: `"${raw}" has no country code`, fix: 'write it with its country code (e.g. +61 2 9999 9999) or set a default country code on the phone_e164 transform' };
  }
  if (digits.length < 8 || digits.length > 15 || digits.startsWith('0')) {
    return { ok: false, message: `"${raw}" does not make a valid international number (+${digits})`, fix: 'correct the number on the contact' };
  }
  return { ok: true, value: `+${digits}` };
}

/** Applies one transform of the closed set to a value. */
export function applyTransform(value: string, transform: FieldTransform): TransformResult {
  switch (transform.kind) {
    case 'none':
      return { ok: true, value };
    case 'trim':
      return { ok: true, value: value.trim().replace(/\s+/g, ' ') };
    case 'upper':
      return { ok: true, value: value.toUpperCase() };
    case 'lower':
      return { ok: true, value: value.toLowerCase() };
    case 'truncate':
      return { ok: true, value: truncateText(value, transform.maxLength) };
    case 'phone_e164':
      return toE164(value, transform.defaultCallingCode);
  }
}
