import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export type ProcessRole = 'api' | 'worker' | 'all';
export type Env = Readonly<Record<string, string | undefined>>;

/** The host's validated configuration. Connector settings stay raw here; the registry parses them. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** null → embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  /** null → read or create `<dataDir>/secret.key` (embedded mode only). */
  readonly secretKey: Buffer | null;
  readonly publicUrl: string;
  readonly consoleUrl: string;
  readonly consoleDir: string | null;
  readonly extraConnectors: readonly string[];
  readonly seed: boolean;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Provider time runs this many times faster than real time (1 in production): rate-limit windows
   * and Retry-After waits are divided by it, to pace against the sandbox's time-scaled limits.
   */
  readonly providerTimeScale: number;
  /** How often the worker turns new hub events into webhook deliveries and sends those due (ms). */
  readonly webhookTickMs: number;
  /** The first retry of a failed webhook delivery waits this long (ms); each later one doubles it. */
  readonly webhookRetryBaseMs: number;
  /** On SIGTERM/SIGINT, how long running jobs may take to finish before the process exits anyway (ms). */
  readonly shutdownGraceMs: number;
  /** Bearer token for GET /metrics; without one, /metrics answers loopback callers only. */
  readonly metricsToken: string | null;
  /** Every LEDGERLINK_CONNECTOR_* variable, for the connector registry. */
  readonly connectorEnv: Readonly<Record<string, string>>;
}

export type ConfigResult = { readonly ok: true; readonly config: AppConfig } | { readonly ok: false; readonly problems: readonly string[] };

const GENERATE_KEY = 'generate one with `openssl rand -base64 32`';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const milliseconds = (fallback: number, min: number, max: number, what: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return fallback;
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number of milliseconds from ${min} to ${max} (${what}; default ${fallback})` });
      return z.NEVER;
    }
    return ms;
  });

const EnvSchema = z.object({
  LEDGERLINK_METRICS_TOKEN: optionalText.pipe(z.string().min(16, { error: 'is too short: use at least 16 random characters (openssl rand -hex 16)' }).optional()),
  LEDGERLINK_SHUTDOWN_GRACE_MS: milliseconds(25_000, 0, 600_000, 'how long running jobs may finish after SIGTERM'),
  LEDGERLINK_WEBHOOK_TICK_MS: milliseconds(1000, 50, 60_000, 'how often webhook deliveries are sent'),
  LEDGERLINK_WEBHOOK_RETRY_BASE_MS: milliseconds(10_000, 10, 3_600_000, 'the wait before the first retry of a failed delivery'),
  PORT: optionalText.transform((value, ctx) => {
    if (value === undefined) return 4000;
    if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
      ctx.addIssue({ code: 'custom', message: 'is not a port: use a whole number from 0 to 65535 (default 4000)' });
      return z.NEVER;
    }
    return Number(value);
  }),
  HOST: optionalText.pipe(z.string().default('127.0.0.1')),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, {
        error: 'is not a PostgreSQL URL: use postgresql://user:password@host:5432/database, or unset it to use the embedded PGlite database',
      })
      .optional(),
  ),
  LEDGERLINK_DATA_DIR: optionalText.pipe(z.string().default('.ledgerlink')),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, { error: 'is not a Redis URL: use redis://host:6379 (or rediss:// for TLS)' })
      .default('redis://127.0.0.1:6379'),
  ),
  LEDGERLINK_QUEUE_PREFIX: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, { error: 'must be 1 to 64 letters, digits or : _ . -' })
      .default('ledgerlink'),
  ),
  LEDGERLINK_SECRET_KEY: optionalText.pipe(
    z
      .string()
      .transform((value, ctx) => {
        const key = decodeKey(value);
        if (!key) ctx.addIssue({ code: 'custom', message: `is not 32 bytes in base64 or hex: ${GENERATE_KEY}` });
        return key ?? Buffer.alloc(0);
      })
      .optional(),
  ),
  LEDGERLINK_PUBLIC_URL: optionalText.pipe(z.url({ error: 'is not a URL: use the address people reach the API at, e.g. https://ledgerlink.example.com' }).optional()),
  LEDGERLINK_CONSOLE_URL: optionalText.pipe(z.url({ error: 'is not a URL: use the address of the console, e.g. https://ledgerlink.example.com' }).optional()),
  LEDGERLINK_CONSOLE_DIR: optionalText,
  LEDGERLINK_CONNECTORS: optionalText.transform((value) =>
    (value ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  ),
  LEDGERLINK_SEED: optionalText.pipe(
    z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 (seed demo data) or 0' }).optional().transform((v) => v === '1' || v === 'true'),
  ),
  LEDGERLINK_PROVIDER_TIME_SCALE: optionalText.transform((value, ctx) => {
    if (value === undefined) return 1;
    const scale = Number(value);
    if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) {
      ctx.addIssue({ code: 'custom', message: 'must be a number above 0 and at most 1000 (1 = real time; set it to the sandbox timeScale only for benchmarks)' });
      return z.NEVER;
    }
    return scale;
  }),
  LOG_LEVEL: optionalText.pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'must be one of debug, info, warn, error, silent' }).default('info')),
});

/**
 * Validates the environment. Each problem is one line that names the variable, what is wrong
 * and how to fix it; nothing is read from disk or the network here.
 */
export function parseConfig(env: Env, options: { readonly cwd?: string } = {}): ConfigResult {
  const cwd = options.cwd ?? process.cwd();
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return `${name}${showValue(name, env[name])} ${issue.message}`;
      });
  if (present(env.DATABASE_URL) && !present(env.LEDGERLINK_SECRET_KEY)) {
    problems.push(`LEDGERLINK_SECRET_KEY is not set: it is required with DATABASE_URL (it encrypts connection credentials); ${GENERATE_KEY}`);
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const v = parsed.data;

  const publicUrl = trimSlash(v.LEDGERLINK_PUBLIC_URL ?? `http://${urlHost(v.HOST)}:${v.PORT}`);
  const connectorEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('LEDGERLINK_CONNECTOR_') && value !== undefined && value.trim() !== '') connectorEnv[key] = value.trim();
  }
  return {
    ok: true,
    config: {
      port: v.PORT,
      host: v.HOST,
      databaseUrl: v.DATABASE_URL ?? null,
      dataDir: absolute(v.LEDGERLINK_DATA_DIR, cwd),
      redisUrl: v.REDIS_URL,
      queuePrefix: v.LEDGERLINK_QUEUE_PREFIX,
      secretKey: v.LEDGERLINK_SECRET_KEY ?? null,
      publicUrl,
      consoleUrl: trimSlash(v.LEDGERLINK_CONSOLE_URL ?? publicUrl),
      consoleDir: v.LEDGERLINK_CONSOLE_DIR ? absolute(v.LEDGERLINK_CONSOLE_DIR, cwd) : null,
      extraConnectors: v.LEDGERLINK_CONNECTORS,
      seed: v.LEDGERLINK_SEED ?? false,
      logLevel: v.LOG_LEVEL,
      providerTimeScale: v.LEDGERLINK_PROVIDER_TIME_SCALE,
      webhookTickMs: v.LEDGERLINK_WEBHOOK_TICK_MS,
      metricsToken: v.LEDGERLINK_METRICS_TOKEN ?? null,
      shutdownGraceMs: v.LEDGERLINK_SHUTDOWN_GRACE_MS,
      webhookRetryBaseMs: v.LEDGERLINK_WEBHOOK_RETRY_BASE_MS,
      connectorEnv,
    },
  };
}

/** 32 bytes from 64 hex digits or base64/base64url; null otherwise. */
export function decodeKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return key.length === 32 ? key : null;
  }
  return null;
}

/** Hides passwords in URLs and never shows secret values. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url;
  }
}

function present(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

function showValue(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '';
  if (/SECRET|PASSWORD|KEY|TOKEN/.test(name)) return '';
  return `=${/URL$/.test(name) ? maskUrl(value) : value}`;
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
