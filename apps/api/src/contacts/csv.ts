/** One record of a CSV file and the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

export type CsvParse = { readonly ok: true; readonly records: readonly CsvRecord[] } | { readonly ok: false; readonly line: number; readonly message: string };

/**
 * Parses RFC 4180 CSV: comma separated, fields optionally in double quotes with `""` for a quote,
 * commas and line breaks allowed inside quotes, CRLF or LF line ends, a UTF-8 BOM ignored, blank
 * lines skipped. A quote inside an unquoted field or an unterminated quoted field is an error that
 * names its line, so a broken file is refused rather than read wrongly.
 */
export function parseCsv(text: string): CsvParse {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  /** The current field began with a quote and it has closed: only a separator may follow. */
  let closed = false;
  let fieldStarted = false;

  const endField = (): void => {
    cells.push(cell);
    cell = '';
    closed = false;
    fieldStarted = false;
  };
  const endRecord = (): void => {
    endField();
    const blank = cells.length === 1 && cells[0] === '';
    if (!blank) records.push({ line: recordLine, cells });
    cells = [];
  };

  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === ',') {
      endField();
      fieldStarted = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (closed) {
      return { ok: false, line, message: `line ${line}: text after a closing quote; a quote inside a quoted field is written as two quotes ("")` };
    } else if (char === '"') {
      if (cell.length > 0) return { ok: false, line, message: `line ${line}: a quote inside an unquoted field; put the whole field in quotes and double the quote ("")` };
      quoted = true;
      fieldStarted = true;
    } else {
      cell += char;
      fieldStarted = true;
    }
  }
  if (quoted) return { ok: false, line: recordLine, message: `line ${recordLine}: a quoted field is never closed; add the closing quote` };
  if (fieldStarted || cell.length > 0 || cells.length > 0) endRecord();
  return { ok: true, records };
}
