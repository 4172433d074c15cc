import type { Handler } from './http.js';

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

export interface RouteMatch {
  readonly handler: Handler;
  readonly params: Record<string, string>;
}

/**
 * A small method + path router. Patterns are literal segments and `:name` parameters, e.g.
 * `/qbo/v3/company/:realmId/customer/:id`. The first registered match wins.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string | readonly string[], pattern: string, handler: Handler): this {
    for (const m of typeof method === 'string' ? [method] : method) {
      this.routes.push({ method: m.toUpperCase(), segments: split(pattern), handler });
    }
    return this;
  }

  /** `undefined` when nothing matches the path; `'method-not-allowed'` when only the method is wrong. */
  match(method: string, pathname: string): RouteMatch | 'method-not-allowed' | undefined {
    const segments = split(pathname);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method === method.toUpperCase() || (route.method === 'GET' && method.toUpperCase() === 'HEAD')) {
        return { handler: route.handler, params };
      }
      pathMatched = true;
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i] ?? '';
    const value = actual[i] ?? '';
    if (expected.startsWith(':')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return undefined;
      }
      params[expected.slice(1)] = decoded;
    } else if (expected.toLowerCase() !== value.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
