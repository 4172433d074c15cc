import type { NextFunction, Request, Response } from 'express';
import type { Queue } from 'bull';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { AuthContext } from '../auth/auth.context.js';
import { ROLE_RANK } from '../auth/auth.context.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The Bull Board at /admin/queues for signed-in owners and admins (the console session cookie);
 * viewers get 403 and anyone else 401. Read-only: retrying or removing jobs is done through the
 * API's own routes, which check CSRF and audit the change.
 */
export function queueBoard(queues: ReadonlyArray<Queue>, authenticate: (request: Request) => Promise<AuthContext | null>) {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullAdapter(queue, { readOnlyMode: true })), serverAdapter });
  const guard = (request: Request, response: Response, next: NextFunction): void => {
    authenticate(request)
      .then((auth) => {
        if (!auth) {
          response.status(401).json({ error: { code: 'unauthorized', message: 'Sign in to the console as an admin to see the queues.' } });
          return;
        }
        if (auth.via !== 'session' || ROLE_RANK[auth.role] < ROLE_RANK.admin) {
          response.status(403).json({ error: { code: 'forbidden', message: 'The queue board is for owners and admins.' } });
          return;
        }
        next();
      })
      .catch(next);
  };
  return { guard, router: serverAdapter.getRouter() as (request: Request, response: Response, next: NextFunction) => void };
}
