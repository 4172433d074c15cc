import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExceptionFilter } from '../common/api-exception.filter.js';
import { JsonLogger } from '../common/json-logger.js';
import { type AppConfig, type Env, parseConfig, type ProcessRole } from '../config/config.js';
import { loadSecretKey } from '../config/secret-key.js';
import { checkRedis } from '../config/service-checks.js';
import { checkConsoleDir, serveConsole } from '../console/console-static.js';
import { ConnectorLoadError, type ConnectorRegistry, hostPackageJsonPath, loadConnectorRegistry } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { type Database, openDatabase } from '../database/database.js';
import { SeedService, type SeedOptions, type SeedResult } from '../seed/seed.service.js';
import { captureRawBody, WEBHOOK_PATH_PREFIX } from '../inbound/raw-body.js';
import { CONTACTS_IMPORT_PATH, readImportBody } from '../contacts/import-body.js';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { Request } from 'express';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service.js';
import { readCookie } from '../common/cookies.js';
import { Metrics } from '../ops/metrics.js';
import { QUEUE_BOARD_PATH, queueBoard } from '../ops/queue-board.js';
import { QUEUES } from '../queue/queues.js';
import { AppModule } from './app.module.js';
import type { Runtime } from './runtime.module.js';

/** The start was refused; each problem is one line a person can act on. */
export class StartupError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'StartupError';
  }
}

export interface CreateAppOptions {
  /** api: HTTP only · worker: Bull processors only · all: both in one process. */
  readonly role: ProcessRole;
  /** Defaults to process.env. */
  readonly env?: Env;
  readonly cwd?: string;
  /** An already open database (tests); createApp then leaves closing it to the caller. */
  readonly database?: Database;
  readonly logger?: JsonLogger;
}

export interface LedgerlinkApp {
  readonly role: ProcessRole;
  readonly config: AppConfig;
  readonly database: Database;
  readonly registry: ConnectorRegistry;
  readonly logger: JsonLogger;
  /** The Nest application (or application context for the worker). */
  readonly nest: INestApplicationContext;
  /** Starts the HTTP server (api/all); resolves to its base URL. */
  listen(): Promise<string>;
  /** Seeds the demo workspace (idempotent). */
  seed(options?: SeedOptions): Promise<SeedResult>;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(hostPackageJsonPath(), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the Ledgerlink hub: validates the environment, checks Redis, loads the secret key and
 * the connectors, opens the database (migrated), then the Nest app for the role. Tests build the
 * same app in-process through this function.
 */
export async function createApp(options: CreateAppOptions): Promise<LedgerlinkApp> {
  const env = options.env ?? process.env;
  const parsed = parseConfig(env, options.cwd === undefined ? {} : { cwd: options.cwd });
  if (!parsed.ok) {
    // Say everything at once: a missing Redis too, when its URL is usable.
    const redisUrl = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
    const redisProblem = /^rediss?:\/\/\S+$/.test(redisUrl) ? await checkRedis(redisUrl) : null;
    throw new StartupError([...parsed.problems, ...(redisProblem ? [redisProblem] : [])]);
  }
  const config = parsed.config;

  const problems: string[] = [];
  const [redisProblem, key] = await Promise.all([checkRedis(config.redisUrl), loadSecretKey(config)]);
  if (redisProblem) problems.push(redisProblem);
  if ('problem' in key) problems.push(key.problem);
  if (config.consoleDir && options.role !== 'worker') {
    const consoleProblem = checkConsoleDir(config.consoleDir);
    if (consoleProblem) problems.push(consoleProblem);
  }
  let registry: ConnectorRegistry | undefined;
  try {
    registry = await loadConnectorRegistry({ packageJsonPath: hostPackageJsonPath(), extraPackages: config.extraConnectors, connectorEnv: config.connectorEnv });
  } catch (error) {
    if (!(error instanceof ConnectorLoadError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !registry || !('key' in key)) throw new StartupError(problems);

  const logger = options.logger ?? new JsonLogger(config.logLevel, { service: 'ledgerlink', role: options.role });
  let database = options.database;
  if (!database) {
    try {
      database = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
    } catch (error) {
      throw new StartupError([(error as Error).message]);
    }
  }
  const ownsDatabase = options.database === undefined;
  const runtime: Runtime = { role: options.role, version: appVersion(), config, database, registry, crypto: new CryptoService(key.key), logger };
  const module = AppModule.forRuntime(runtime);

  let nest: INestApplicationContext;
  let http: NestExpressApplication | null = null;
  try {
    if (options.role === 'worker') {
      nest = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
    } else {
      http = await NestFactory.create<NestExpressApplication>(module, { logger, abortOnError: false });
      http.disable('x-powered-by');
      const app = http;
      const queues = Object.values(QUEUES).map((name) => ({ name, queue: app.get<Queue>(getQueueToken(name), { strict: false }) }));
      const metrics = new Metrics({ prisma: () => database.prisma, queues: () => queues });
      http.use(metrics.observe);
      http.use('/metrics', metrics.handler(config.metricsToken));
      const board = queueBoard(
        queues.map((q) => q.queue),
        (request: Request) => app.get(AuthService, { strict: false }).authenticate(readCookie(request.headers.cookie, SESSION_COOKIE)),
      );
      http.use(QUEUE_BOARD_PATH, board.guard, board.router);
      // Inbound webhooks are verified over the exact bytes sent: keep them for that route only.
      http.use(WEBHOOK_PATH_PREFIX, captureRawBody);
      // CSV imports are larger than other bodies and may arrive as text/csv.
      http.use(CONTACTS_IMPORT_PATH, readImportBody);
      http.useGlobalFilters(new ApiExceptionFilter(logger));
      // A console served from another origin (e.g. the Vite dev server) may call with its cookie.
      const consoleOrigin = new URL(config.consoleUrl).origin;
      if (consoleOrigin !== new URL(config.publicUrl).origin) http.enableCors({ origin: consoleOrigin, credentials: true });
      if (config.consoleDir) serveConsole(http, config.consoleDir);
      nest = http;
    }
    await nest.init();
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }

  let closed = false;
  return {
    role: options.role,
    config,
    database,
    registry,
    logger,
    nest,
    async listen() {
      if (!http) throw new Error('The worker role has no HTTP server');
      await http.listen(config.port, config.host);
      const address = http.getHttpServer().address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
    },
    seed(seedOptions) {
      return nest.get(SeedService, { strict: false }).run(seedOptions);
    },
    get(type) {
      return nest.get(type, { strict: false });
    },
    async close() {
      if (closed) return;
      closed = true;
      await nest.close();
      if (ownsDatabase) await database.close();
    },
  };
}
