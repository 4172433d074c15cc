import { Injectable } from '@nestjs/common';
import { CSV_CONTACT_COLUMNS, CSV_IMPORT_MAX_ROWS, type ImportContactsReport, type ImportProblem, UpsertContactRequest } from '@ledgerlink/contract';
import { z } from 'zod';
import { ApiErrors } from '../common/api-error.js';
import { actorOf, type AuthContext } from '../auth/auth.context.js';
import { type ContactFields, ContactsRepository } from './contacts.repository.js';
import { contactFields, ContactsService } from './contacts.service.js';
import { parseCsv } from './csv.js';

const ExternalId = z.string().trim().min(1, 'is empty: every row needs the id your app knows the contact by').max(200, 'is longer than 200 characters');
const CHUNK = 1000;

interface GoodRow {
  readonly line: number;
  readonly externalId: string;
  readonly fields: ContactFields;
  readonly body: UpsertContactRequest;
}

/**
 * Imports contacts from CSV: the header names the columns (any order, case-insensitive); each
 * row is checked like `PUT /api/v1/contacts/:externalId` and stored with the same semantics (the
 * version moves only when the content changes). Bad rows are reported with their line, column and
 * reason and change nothing; good rows are stored. Problems with the file as a whole (not CSV,
 * unknown or missing columns, too many rows) refuse it entirely with 400.
 */
@Injectable()
export class ContactsImportService {
  constructor(
    private readonly repository: ContactsRepository,
    private readonly contacts: ContactsService,
  ) {}

  async import(auth: AuthContext, csv: string, dryRun: boolean): Promise<ImportContactsReport> {
    const parsed = parseCsv(csv);
    if (!parsed.ok) throw ApiErrors.invalid(`The file is not valid CSV: ${parsed.message}.`, [{ path: 'csv', message: parsed.message }]);
    const [header, ...records] = parsed.records;
    if (!header) throw ApiErrors.invalid('The CSV is empty: send a header row and at least one contact.', [{ path: 'csv', message: 'has no header row' }]);
    const columns = readHeader(header.cells);
    if (records.length > CSV_IMPORT_MAX_ROWS) {
      throw ApiErrors.invalid(`The CSV has ${records.length} rows; one import takes at most ${CSV_IMPORT_MAX_ROWS}: split the file.`, [
        { path: 'csv', message: `has more than ${CSV_IMPORT_MAX_ROWS} rows` },
      ]);
    }

    const problems: ImportProblem[] = [];
    const good: GoodRow[] = [];
    const seen = new Map<string, number>();
    for (const record of records) {
      const value: Record<string, string> = {};
      columns.forEach((column, index) => {
        const cell = record.cells[index]?.trim() ?? '';
        if (cell !== '') value[column] = column === 'kind' ? cell.toLowerCase() : cell;
      });
      const rawId = value.externalId ?? '';
      const report = (field: string, message: string) => problems.push({ row: record.line, externalId: rawId === '' ? null : rawId, field, message });
      if (record.cells.length > columns.length) {
        report('(row)', `has ${record.cells.length} fields but the header has ${columns.length}: quote fields that contain commas`);
        continue;
      }
      const id = ExternalId.safeParse(rawId);
      const { externalId: _ignored, ...rest } = value;
      const body = UpsertContactRequest.safeParse(rest);
      if (!id.success || !body.success) {
        if (!id.success) report('externalId', id.error.issues[0]?.message ?? 'is not valid');
        if (!body.success) for (const issue of body.error.issues) report(issue.path.map(String).join('.') || '(row)', issueMessage(issue));
        continue;
      }
      const earlier = seen.get(id.data);
      if (earlier !== undefined) {
        report('externalId', `"${id.data}" is already on line ${earlier}: each contact once per file`);
        continue;
      }
      seen.set(id.data, record.line);
      good.push({ line: record.line, externalId: id.data, fields: contactFields(body.data), body: body.data });
    }

    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (let start = 0; start < good.length; start += CHUNK) {
      const chunk = good.slice(start, start + CHUNK);
      const existing = new Map((await this.repository.findByExternalIds(auth.workspaceId, chunk.map((row) => row.externalId))).map((row) => [row.externalId, row]));
      const fresh = chunk.filter((row) => !existing.has(row.externalId));
      for (const row of chunk) {
        const stored = existing.get(row.externalId);
        if (!stored) continue;
        if (stored.contentHash === row.fields.contentHash) {
          unchanged += 1;
          continue;
        }
        if (!dryRun) await this.repository.updateContent(auth.workspaceId, stored.id, row.fields);
        updated += 1;
      }
      if (dryRun || fresh.length === 0) {
        created += fresh.length;
        continue;
      }
      const made = await this.repository.createMany(auth.workspaceId, fresh);
      created += made;
      if (made < fresh.length) {
        // Another request created some of these ids meanwhile: store ours over theirs like PUT would.
        const raced = fresh.length - made;
        const now = new Map((await this.repository.findByExternalIds(auth.workspaceId, fresh.map((row) => row.externalId))).map((row) => [row.externalId, row]));
        let differing = 0;
        for (const row of fresh) {
          if (now.get(row.externalId)?.contentHash === row.fields.contentHash) continue;
          await this.contacts.upsertRow(auth.workspaceId, row.externalId, row.body);
          differing += 1;
        }
        updated += differing;
        unchanged += raced - differing;
      }
    }
    const rejected = new Set(problems.map((p) => p.row)).size;
    const report: ImportContactsReport = { dryRun, rows: records.length, created, updated, unchanged, rejected, problems };
    if (!dryRun) await this.repository.audit(auth.workspaceId, actorOf(auth), 'contacts.imported', { rows: records.length, created, updated, unchanged, rejected });
    return report;
  }
}

/** Maps the header to the known columns; unknown, duplicate or missing required ones refuse the file. */
function readHeader(cells: readonly string[]): string[] {
  const known = new Map(CSV_CONTACT_COLUMNS.map((name) => [name.toLowerCase(), name]));
  const columns: string[] = [];
  const problems: Array<{ path: string; message: string }> = [];
  cells.forEach((cell, index) => {
    const name = known.get(cell.trim().toLowerCase().replace(/[\s_-]/g, ''));
    if (!name) problems.push({ path: `csv.header.${index + 1}`, message: `"${cell}" is not a contact column: use ${CSV_CONTACT_COLUMNS.join(', ')}` });
    else if (columns.includes(name)) problems.push({ path: `csv.header.${index + 1}`, message: `"${cell}" appears twice` });
    columns.push(name ?? '');
  });
  for (const required of ['externalId', 'kind', 'displayName']) {
    if (!columns.includes(required)) problems.push({ path: 'csv.header', message: `has no ${required} column (required)` });
  }
  if (problems.length > 0) throw ApiErrors.invalid(`The CSV header needs fixing: ${problems.map((p) => p.message).join('; ')}.`, problems);
  return columns;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && issue.path[0] === 'kind') return 'must be customer or supplier';
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
