import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

const cellsOf = (text: string) => {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.records.map((r) => r.cells);
};

/** How a spreadsheet writes a field: quoted when it holds a comma, quote or line break. */
const writeCell = (value: string) => (/[",\r\n]/.test(value) || value.startsWith(' ') ? `"${value.replaceAll('"', '""')}"` : value);

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes, CRLF, a BOM and non-ASCII', () => {
    const text = '\uFEFFexternalId,displayName,notes\r\nc-1,"Smith, Jones & Co","said ""hi""\nthen left"\r\nc-2,Zoë Ærø 東京,\r\n';
    expect(cellsOf(text)).toEqual([
      ['externalId', 'displayName', 'notes'],
      ['c-1', 'Smith, Jones & Co', 'said "hi"\nthen left'],
      ['c-2', 'Zoë Ærø 東京', ''],
    ]);
  });

  it('gives each record the line it starts on, skipping blank lines', () => {
    const parsed = parseCsv('a,b\n\n"x\ny",1\nz,2');
    expect(parsed.ok && parsed.records.map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b']],
      [3, ['x\ny', '1']],
      [5, ['z', '2']],
    ]);
  });

  it('refuses an unterminated quote, a quote inside an unquoted field and text after a closing quote, naming the line', () => {
    expect(parseCsv('a,b\n1,"open\n2,3')).toEqual({ ok: false, line: 2, message: expect.stringContaining('never closed') });
    expect(parseCsv('a,b\n1,5" screen')).toEqual({ ok: false, line: 2, message: expect.stringContaining('quote inside an unquoted field') });
    expect(parseCsv('a,b\n1,"x"y')).toEqual({ ok: false, line: 2, message: expect.stringContaining('after a closing quote') });
  });

  it('reads back exactly what a spreadsheet wrote, for any text', () => {
    const row = fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const text = rows.map((cells) => cells.map(writeCell).join(',')).join(eol);
        expect(cellsOf(text)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
