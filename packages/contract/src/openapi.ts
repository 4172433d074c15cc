import { z } from 'zod';
import { ApiError } from './common.js';
import { routes, type RouteDef } from './routes.js';

/** Builds the OpenAPI 3.1 description of the public API from the route table. */
export function buildOpenApi(info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = z.toJSONSchema(ApiError, { unrepresentable: 'any' });
  for (const [name, route] of Object.entries(routes) as [string, RouteDef][]) {
    const openPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const match of route.path.matchAll(/:([A-Za-z]+)/g)) {
      parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.query) {
      const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [key, value] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name: key, in: 'query', required: schema.required?.includes(key) ?? false, schema: value });
      }
    }
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: route.summary,
      parameters,
      responses: {
        [String(route.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: z.toJSONSchema(route.response, { unrepresentable: 'any' }) } } },
        '4XX': { description: 'Refused: the body names each bad field and the fix', content: { 'application/json': { schema: errorSchema } } },
      },
    };
    if (route.auth === 'session') operation.security = [{ session: [], csrf: [] }, { apiKey: [] }];
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) } } };
    }
    paths[openPath] = { ...(paths[openPath] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Ledgerlink API', version: info.version },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'll_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Required with the session cookie on POST, PUT and DELETE.' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A host app key from POST /api/v1/api-keys.' },
      },
    },
    paths,
  };
}
