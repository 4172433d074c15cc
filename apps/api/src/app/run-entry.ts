import type { ProcessRole } from '../config/config.js';
import { createApp, type LedgerlinkApp, StartupError } from './create-app.js';

/**
 * Shared body of main.ts, worker.ts and start.ts: build, start, print one clear line, and close
 * cleanly on SIGINT/SIGTERM. A refused start prints each problem on its own line and exits 1.
 */
export async function runEntry(role: ProcessRole, describe: (app: LedgerlinkApp, url: string | null) => string): Promise<void> {
  let app: LedgerlinkApp;
  try {
    app = await createApp({ role });
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`Ledgerlink did not start:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }
  const url = role === 'worker' ? null : await app.listen();
  if (app.config.seed && role !== 'worker') await app.seed();
  process.stdout.write(`${describe(app, url)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The HTTP server stops taking requests, the queues stop taking jobs and wait for the running
    // ones to finish (Bull's close), then the database and Redis close. Past the grace period the
    // process exits anyway: Bull hands a job whose lock lapses to another worker.
    app.logger.info('stopping: finishing running jobs', { signal, graceMs: app.config.shutdownGraceMs });
    const grace = setTimeout(() => {
      app.logger.warn('shutdown grace period over with jobs still running: exiting; they return to the queue when their lock lapses', { graceMs: app.config.shutdownGraceMs });
      process.exit(1);
    }, app.config.shutdownGraceMs);
    app.close().then(
      () => {
        clearTimeout(grace);
        app.logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.logger.error(error instanceof Error ? error : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
