// Loads Prisma's schema engine (WebAssembly build) and runs it over a driver adapter.
// The Prisma CLI cannot do this offline (it wants a native binary from binaries.prisma.sh), and the
// package's main entry imports a .wasm file that Node cannot load, so the module is instantiated here.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export type {
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

/** The part of the WebAssembly global this module needs (lib ES2023 and @types/node 20 do not declare it). */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let loaded: Promise<void> | undefined;

// The engine arms timers (e.g. a 10 s advisory-lock timeout) through setTimeout and never clears
// them, which would keep a finished process alive. They stay armed while an engine call runs and
// are unref'd once no call is running.
const engineTimers = new Set<NodeJS.Timeout>();
let runningCalls = 0;

function trackedSetTimeout(callback: () => void, delay: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, delay);
  if (runningCalls === 0) timer.unref();
  else engineTimers.add(timer);
  return timer;
}

function releaseTimersWhenIdle(): void {
  if (runningCalls > 0) return;
  for (const timer of engineTimers) timer.unref();
  engineTimers.clear();
}

/** The glue module as the wasm import object, with setTimeout routed through trackedSetTimeout. */
function importObject(): Record<string, unknown> {
  const glue: Record<string, unknown> = { ...bindings };
  for (const key of Object.keys(glue)) {
    if (key.startsWith('__wbg_setTimeout_')) {
      glue[key] = (callback: () => void, delay: number) => trackedSetTimeout(callback, delay >>> 0);
    }
  }
  return glue;
}

function loadBindings(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    // The glue module is the import object the wasm-bindgen output expects under its own file name.
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': importObject() });
    bindings.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (typeof start === 'function') (start as () => void)();
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/**
 * Runs `work` with a schema engine bound to `factory`, then frees the engine.
 * The engine's log lines (JSON) go to `onLog` when given.
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: readonly SchemaFile[],
  work: (engine: SchemaEngine) => Promise<T>,
  onLog?: (line: string) => void,
): Promise<T> {
  await loadBindings();
  runningCalls += 1;
  try {
    const engine = await bindings.SchemaEngine.new(
      { datamodels: schemaFiles.map((file): [string, string] => [file.path, file.content]) },
      (line: string) => onLog?.(line),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    runningCalls -= 1;
    releaseTimersWhenIdle();
  }
}

/** The schema engine rejects with plain objects or Errors; this turns either into a readable line. */
export function engineErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    for (const key of ['message', 'error']) {
      const value = record[key];
      if (typeof value === 'string') return value;
    }
    return JSON.stringify(error);
  }
  return String(error);
}
