import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@ledgerlink/connector-sdk';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_KEY = /(token|secret|password|passwd|authorization|cookie|credential|api[-_]?key|^code$|^state$|client[-_]?secret)/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes anything that could be a secret: values under secret-looking keys and bearer headers. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return value.replace(BEARER, '$1 [redacted]');
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
}

export interface LogSink {
  write(line: string): void;
}

/**
 * One JSON object per line on stdout. Used by the host, handed to connectors (`ctx.logger`) and
 * to Nest. Never prints tokens: fields are passed through `redact` first.
 */
export class JsonLogger implements Logger, LoggerService {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly bindings: Record<string, unknown> = {},
    private readonly sink: LogSink = process.stdout,
  ) {}

  child(bindings: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.level, { ...this.bindings, ...bindings }, this.sink);
  }

  debug(message: unknown, fields?: unknown): void {
    this.emit('debug', message, fields);
  }
  info(message: unknown, fields?: unknown): void {
    this.emit('info', message, fields);
  }
  warn(message: unknown, fields?: unknown): void {
    this.emit('warn', message, fields);
  }
  error(message: unknown, fields?: unknown): void {
    this.emit('error', message, fields);
  }
  /** Nest's LoggerService; Nest's own chatter (route mapping, module init) is debug level. */
  log(message: unknown, context?: unknown): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: unknown): void {
    this.emit('debug', message, context);
  }
  fatal(message: unknown, context?: unknown): void {
    this.emit('error', message, context);
  }

  private emit(level: Exclude<LogLevel, 'silent'>, message: unknown, fields: unknown): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const extra =
      fields && typeof fields === 'object' && !Array.isArray(fields)
        ? (fields as Record<string, unknown>)
        : typeof fields === 'string'
          ? { context: fields }
          : {};
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const record = redact({ time: new Date().toISOString(), level, msg: text, ...this.bindings, ...extra }) as Record<string, unknown>;
    if (message instanceof Error && message.stack && level === 'error') record.stack = redact(message.stack);
    this.sink.write(`${JSON.stringify(record)}\n`);
  }
}
