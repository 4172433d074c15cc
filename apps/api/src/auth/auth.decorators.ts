import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@ledgerlink/contract';
import type { AuthContext } from './auth.context.js';

export const PUBLIC_ROUTE = 'ledgerlink:public';
export const MIN_ROLE = 'ledgerlink:min-role';
export const SESSION_ONLY = 'ledgerlink:session-only';

/** The route needs no session (health, login, OAuth callback, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The route changes data: viewers are refused. */
export const RequireRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/** The route is for people in the console, not host apps: API keys are refused (e.g. managing keys). */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<{ auth?: AuthContext }>();
  if (!request.auth) throw new Error('CurrentUser used on a public route');
  return request.auth;
});
