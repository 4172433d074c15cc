// Command line for the migration runner (the Prisma CLI's migrate commands cannot run offline).
//   node dist/database/migrate-cli.js dev <name>   write prisma/migrations/<timestamp>_<name>/migration.sql
//   node dist/database/migrate-cli.js deploy       apply pending migrations to DATABASE_URL, or else to
//                                                  PGlite in LEDGERLINK_DATA_DIR (default .ledgerlink in
//                                                  the directory the command was run from)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, authorMigration, defaultMigratorPaths } from './migrator.js';

const USAGE = `Usage:
  migrate-cli dev <name>   author a migration from prisma/schema.prisma (e.g. dev add_realm_id)
  migrate-cli deploy       apply pending migrations to DATABASE_URL, or PGlite in LEDGERLINK_DATA_DIR (default .ledgerlink)`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

/** Runs one CLI command and returns the process exit code. */
export async function runMigrateCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'dev': {
        const name = rest.join(' ').trim();
        if (name === '') {
          io.err('migrate-cli dev needs a migration name, e.g. `pnpm migrate:dev add_realm_id`.');
          return 2;
        }
        const { created } = await authorMigration(name);
        if (created === null) {
          io.out('The schema has no changes since the last migration; nothing was written.');
        } else {
          io.out(`Created ${path.join(defaultMigratorPaths.migrationsDir, created, 'migration.sql')}`);
          io.out('Apply it with `pnpm migrate:deploy` (or start the API, which applies pending migrations).');
        }
        return 0;
      }
      case 'deploy': {
        const databaseUrl = io.env['DATABASE_URL'];
        const usePostgres = databaseUrl !== undefined && databaseUrl !== '';
        // Relative to where the command was typed (pnpm runs scripts in the package directory but
        // keeps the caller's directory in INIT_CWD), like `pnpm start`'s default <repo>/.ledgerlink.
        const base = io.env['INIT_CWD'] || process.cwd();
        const dataDir = path.resolve(base, io.env['LEDGERLINK_DATA_DIR'] || '.ledgerlink');
        const { applied } = await applyMigrations(usePostgres ? { databaseUrl } : { dataDir });
        const where = usePostgres ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}`;
        io.out(
          applied.length === 0
            ? `${where} is up to date; no migrations to apply.`
            : `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`,
        );
        return 0;
      }
      case undefined:
        io.err(USAGE);
        return 2;
      default:
        io.err(`Unknown command ${JSON.stringify(command)}.\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await runMigrateCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
  process.exitCode = code;
}
