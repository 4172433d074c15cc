import { z } from 'zod';

/** Limits of one CSV import (larger files: split them). */
export const CSV_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const CSV_IMPORT_MAX_ROWS = 20_000;

/**
 * The columns a contacts CSV may have (header row, any order, case-insensitive). `externalId`,
 * `kind` and `displayName` are required; the rest may be absent or empty.
 */
export const CSV_CONTACT_COLUMNS = ['externalId', 'kind', 'displayName', 'givenName', 'familyName', 'companyName', 'email', 'phone', 'notes'] as const;

/**
 * `POST /api/v1/contacts/import` body: the CSV text (UTF-8, RFC 4180 quoting, optional BOM, CRLF
 * or LF). The same route also takes the file itself with `Content-Type: text/csv`.
 */
export const ImportContactsRequest = z.object({
  csv: z.string().min(1, 'the CSV is empty: send a header row and at least one contact').max(CSV_IMPORT_MAX_BYTES, `is larger than ${CSV_IMPORT_MAX_BYTES} characters: split the file`),
  /** Check and report what would change without storing anything. */
  dryRun: z.boolean().optional(),
});
export type ImportContactsRequest = z.infer<typeof ImportContactsRequest>;

export const ImportProblem = z.object({
  /** The line of the file (the header is line 1), as a spreadsheet shows it; a quoted field may span lines: this is where the row starts. */
  row: z.number().int(),
  externalId: z.string().nullable(),
  /** The column at fault. */
  field: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportContactsReport = z.object({
  dryRun: z.boolean(),
  /** Data rows read (blank lines skipped). */
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Rows refused: nothing of them was stored. */
  rejected: z.number().int(),
  problems: z.array(ImportProblem),
});
export type ImportContactsReport = z.infer<typeof ImportContactsReport>;
