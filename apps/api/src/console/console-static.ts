import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** A problem line when LEDGERLINK_CONSOLE_DIR is not a built console, else null. */
export function checkConsoleDir(dir: string): string | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `LEDGERLINK_CONSOLE_DIR=${dir} is not a directory: build the console (pnpm --filter @ledgerlink/console build) or unset it`;
  if (!existsSync(join(dir, 'index.html'))) return `LEDGERLINK_CONSOLE_DIR=${dir} has no index.html: point it at the console's built dist directory`;
  return null;
}

/**
 * Serves the built console at `/`: its files as they are, and index.html for any other GET that
 * is not an API path (the console's router handles it: SPA fallback).
 */
export function serveConsole(app: NestExpressApplication, dir: string): void {
  app.useStaticAssets(dir, { index: false, maxAge: '1h', setHeaders: (res, path) => {
    if (path.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
  } });
  const index = join(dir, 'index.html');
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.path.startsWith('/api/') || request.path === '/api') return next();
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
}
