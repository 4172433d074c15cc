import { type ApiError, CSV_IMPORT_MAX_ROWS, type ImportContactsReport } from '@ledgerlink/contract';
import { createApiClient } from '@ledgerlink/api-client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestClient, type TestHub } from './helpers.js';

let hub: TestHub;
let admin: TestClient;

const prisma = () => hub.testDb.database.prisma;
const contactsNamed = (prefix: string) => prisma().contact.findMany({ where: { externalId: { startsWith: prefix } }, orderBy: { externalId: 'asc' } });

/** Posts the file itself, as a host app's upload would. */
async function postCsv(csv: string, query = ''): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${hub.baseUrl}/api/v1/contacts/import${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv; charset=utf-8', cookie: cookieHeader(), 'x-csrf-token': decodeURIComponent(admin.csrfToken ?? '') },
    body: csv,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

function cookieHeader(): string {
  return [admin.sessionCookie, admin.csrfToken ? `ll_csrf=${admin.csrfToken}` : undefined].filter(Boolean).join('; ');
}

beforeAll(async () => {
  hub = await startHub({ name: 'import', providers: [] });
  admin = hub.admin;
}, 60_000);

afterAll(async () => {
  await hub?.close();
});

const MIXED = [
  '\uFEFFExternal ID,Kind,Display Name,Email,Phone,Company Name,Notes',
  'imp-1,customer,"Smith, Jones & Co",ACCOUNTS@SMITHJONES.EXAMPLE,+61 2 5550 1000,"Smith, Jones & Co Pty Ltd","Prefers ""paper"" invoices',
  'two lines"',
  'imp-2,Supplier,Zoë Ærø 東京 Trading,,,,',
  'imp-3,customer,,missing@example.com,,,',
  'imp-4,partner,Wrong Kind Ltd,,,,',
  'imp-5,customer,Bad Email Ltd,not-an-email,,,',
  'imp-2,customer,Second Copy Ltd,,,,',
  ',customer,No Id Ltd,,,,',
  '',
  'imp-6,customer,Last Good Row,,,,',
].join('\r\n');

describe('POST /api/v1/contacts/import', () => {
  it('stores the good rows and names each bad row with its line, column and reason', async () => {
    const answer = await postCsv(MIXED);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const report = answer.body as ImportContactsReport;
    expect(report).toMatchObject({ dryRun: false, rows: 8, created: 3, updated: 0, unchanged: 0, rejected: 5 });
    expect(report.problems).toEqual([
      { row: 5, externalId: 'imp-3', field: 'displayName', message: 'is required' },
      { row: 6, externalId: 'imp-4', field: 'kind', message: 'must be customer or supplier' },
      { row: 7, externalId: 'imp-5', field: 'email', message: expect.stringMatching(/email/i) as unknown },
      { row: 8, externalId: 'imp-2', field: 'externalId', message: '"imp-2" is already on line 4: each contact once per file' },
      { row: 9, externalId: null, field: 'externalId', message: expect.stringContaining('is empty') as unknown },
    ]);

    const stored = await contactsNamed('imp-');
    expect(stored.map((c) => [c.externalId, c.kind, c.displayName, c.email, c.companyName, c.version])).toEqual([
      ['imp-1', 'customer', 'Smith, Jones & Co', 'accounts@smithjones.example', 'Smith, Jones & Co Pty Ltd', 1],
      ['imp-2', 'supplier', 'Zoë Ærø 東京 Trading', null, null, 1],
      ['imp-6', 'customer', 'Last Good Row', null, null, 1],
    ]);
    expect((stored[0]?.data as { notes?: string }).notes).toBe('Prefers "paper" invoices\r\ntwo lines');
    const audit = await prisma().auditLog.findFirst({ where: { action: 'contacts.imported' }, orderBy: { createdAt: 'desc' } });
    expect(audit?.details).toEqual({ rows: 8, created: 3, updated: 0, unchanged: 0, rejected: 5 });
  });

  it('importing the same file again changes nothing: versions stay', async () => {
    const before = await contactsNamed('imp-');
    const again = (await postCsv(MIXED)).body as ImportContactsReport;
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 5 });
    const after = await contactsNamed('imp-');
    expect(after.map((c) => [c.externalId, c.version, c.updatedAt.getTime()])).toEqual(before.map((c) => [c.externalId, c.version, c.updatedAt.getTime()]));
  });

  it('updates a changed row (version moves by one), agreeing with PUT /contacts/:externalId', async () => {
    const csv = 'externalId,kind,displayName\nimp-6,customer,Last Good Row (renamed)\n';
    const dry = (await admin.post<ImportContactsReport>('/api/v1/contacts/import', { csv, dryRun: true })).body;
    expect(dry).toMatchObject({ dryRun: true, updated: 1 });
    expect((await contactsNamed('imp-6'))[0]).toMatchObject({ displayName: 'Last Good Row', version: 1 });

    const client = createApiClient({ baseUrl: hub.baseUrl, headers: () => ({ cookie: cookieHeader() }), csrfToken: decodeURIComponent(admin.csrfToken ?? '') });
    const report = await client.call('importContacts', { body: { csv } });
    expect(report).toMatchObject({ dryRun: false, created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect((await contactsNamed('imp-6'))[0]).toMatchObject({ displayName: 'Last Good Row (renamed)', version: 2 });
    const put = await admin.put<{ version: number }>('/api/v1/contacts/imp-6', { kind: 'customer', displayName: 'Last Good Row (renamed)' });
    expect(put.body.version).toBe(2);
  });

  it('refuses a file whose header or quoting is broken, naming the fix, and stores nothing', async () => {
    const count = await prisma().contact.count();
    const unknown = await postCsv('externalId,kind,displayName,favouriteColour\nimp-9,customer,Nine Ltd,blue');
    expect(unknown.status).toBe(400);
    expect((unknown.body as ApiError).error.fields).toEqual([{ path: 'csv.header.4', message: expect.stringContaining('"favouriteColour" is not a contact column: use externalId, kind') as unknown }]);
    const missing = await postCsv('externalId,displayName\nimp-9,Nine Ltd');
    expect(missing.status).toBe(400);
    expect((missing.body as ApiError).error.fields).toEqual([{ path: 'csv.header', message: 'has no kind column (required)' }]);
    const unterminated = await postCsv('externalId,kind,displayName\nimp-9,customer,"Nine Ltd\nimp-10,customer,Ten Ltd');
    expect(unterminated.status).toBe(400);
    expect((unterminated.body as ApiError).error.message).toContain('line 2: a quoted field is never closed');
    const empty = await postCsv('');
    expect(empty.status).toBe(400);
    expect(JSON.stringify((empty.body as ApiError).error.fields)).toContain('csv');
    expect(await prisma().contact.count()).toBe(count);
  });

  it('refuses more rows than one import takes, and a body over the size limit, before storing anything', async () => {
    const count = await prisma().contact.count();
    const rows = Array.from({ length: CSV_IMPORT_MAX_ROWS + 1 }, (_, i) => `big-${i},customer,Big ${i}`);
    const tooMany = await postCsv(['externalId,kind,displayName', ...rows].join('\n'));
    expect(tooMany.status).toBe(400);
    expect((tooMany.body as ApiError).error.message).toContain(`at most ${CSV_IMPORT_MAX_ROWS}: split the file`);
    const huge = await postCsv(`externalId,kind,displayName,notes\nhuge-1,customer,Huge,${'x'.repeat(11 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    expect((huge.body as ApiError).error.message).toContain('split the file');
    expect(await prisma().contact.count()).toBe(count);
  });

  it('takes 20,000 rows in one import', async () => {
    const rows = Array.from({ length: CSV_IMPORT_MAX_ROWS }, (_, i) => `bulk-${String(i).padStart(5, '0')},${i % 2 ? 'supplier' : 'customer'},Bulk Contact ${i},bulk${i}@example.com`);
    const answer = await postCsv(['externalId,kind,displayName,email', ...rows].join('\n'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rows: CSV_IMPORT_MAX_ROWS, created: CSV_IMPORT_MAX_ROWS, rejected: 0 });
    expect(await prisma().contact.count({ where: { externalId: { startsWith: 'bulk-' } } })).toBe(CSV_IMPORT_MAX_ROWS);
  }, 120_000);

  it('answers any malformed CSV with a report or a 400 naming the problem, never a 5xx', async () => {
    const count = await prisma().contact.count();
    const piece = fc.constantFrom('"', ',', '\n', '\r\n', '""', 'customer', 'supplier', 'x', 'é', '\u0000', ' ', 'a@b.c', 'externalId', 'kind', 'displayName');
    const body = fc.array(piece, { maxLength: 60 }).map((parts) => `externalId,kind,displayName,email\n${parts.join('')}`);
    await fc.assert(
      fc.asyncProperty(body, async (csv) => {
        const answer = await postCsv(csv, '?dryRun=true');
        expect([200, 400], JSON.stringify(answer.body)).toContain(answer.status);
        if (answer.status === 200) {
          const report = answer.body as ImportContactsReport;
          expect(report.dryRun).toBe(true);
          expect(report.created + report.updated + report.unchanged + report.rejected).toBe(report.rows);
        } else {
          expect((answer.body as ApiError).error.fields?.[0]?.path).toMatch(/^csv/);
        }
      }),
      { numRuns: 150 },
    );
    expect(await prisma().contact.count()).toBe(count);
  });

  it('refuses the viewer', async () => {
    const viewer = await hub.signIn();
    const refused = await viewer.post<ApiError>('/api/v1/contacts/import', { csv: 'externalId,kind,displayName\nv-1,customer,Viewer Ltd' });
    expect(refused.status).toBe(403);
    expect(await prisma().contact.count({ where: { externalId: 'v-1' } })).toBe(0);
  });
});
