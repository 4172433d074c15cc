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
    app.logger.info('stopping', { signal });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error(error instanceof Error ? error : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
