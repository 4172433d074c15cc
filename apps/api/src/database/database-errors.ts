// One-line, secret-free errors for the two ways a database can be unusable at start-up.

/** The database named by DATABASE_URL or the PGlite data directory cannot be used. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** `host:port/database` of a PostgreSQL URL, never the password. */
export function describePostgresUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname === '' ? 'localhost' : url.hostname;
    const port = url.port === '' ? '5432' : url.port;
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    return `${host}:${port}/${database === '' ? '(default database)' : database}`;
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Throws a DatabaseUnavailableError when `databaseUrl` is not a postgres:// or postgresql:// URL.
 * `variable` names the setting the URL came from.
 */
export function assertPostgresUrl(databaseUrl: string, variable = 'DATABASE_URL'): void {
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    throw new DatabaseUnavailableError(
      `${variable} is not a valid URL: use the form postgresql://user:password@host:5432/database.`,
    );
  }
  if (protocol !== 'postgresql:' && protocol !== 'postgres:') {
    throw new DatabaseUnavailableError(
      `${variable} must start with postgresql:// (got ${protocol}//): use the form postgresql://user:password@host:5432/database.`,
    );
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Maps a pg connection failure to a one-line error that names the setting (DATABASE_URL) and the fix. */
export function postgresConnectionError(
  databaseUrl: string,
  error: unknown,
  variable = 'DATABASE_URL',
): DatabaseUnavailableError {
  const where = describePostgresUrl(databaseUrl);
  const code = errorCode(error);
  const reason = firstLine(error instanceof Error ? error.message : String(error));
  const fix =
    code === '3D000'
      ? `create that database or point ${variable} at an existing one`
      : code === '28P01' || code === '28000'
        ? `check the user and password in ${variable}`
        : code !== undefined && UNREACHABLE_CODES.has(code)
          ? `start PostgreSQL there or set ${variable} to a reachable server`
          : `check that PostgreSQL is running and ${variable} is right`;
  return new DatabaseUnavailableError(
    `Cannot connect to PostgreSQL at ${where} (${variable}): ${reason === '' ? (code ?? 'unknown error') : reason}; ${fix}.`,
    { cause: error },
  );
}

/** Maps a failure to prepare or open a PGlite directory to a one-line error naming the directory. */
export function pgliteDirectoryError(dataDir: string, reason: string, cause?: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `Cannot use the PGlite data directory ${dataDir} (LEDGERLINK_DATA_DIR): ${firstLine(reason)}.`,
    cause === undefined ? undefined : { cause },
  );
}
