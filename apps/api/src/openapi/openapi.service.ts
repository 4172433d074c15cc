import { Inject, Injectable } from '@nestjs/common';
import { buildOpenApi, type RouteDef, routes } from '@ledgerlink/contract';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, APP_VERSION } from '../app/tokens.js';

@Injectable()
export class OpenApiService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_VERSION) private readonly version: string,
  ) {}

  document(): Record<string, unknown> {
    const document = buildOpenApi({ version: this.version, serverUrl: this.config.publicUrl });
    const paths = (document.paths ?? {}) as Record<string, unknown>;
    paths['/api/v1/oauth/callback'] = {
      get: {
        operationId: 'oauthCallback',
        summary: "The provider's redirect after consent; answers with a redirect to the console's Integrations page.",
        parameters: ['code', 'state', 'realmId', 'error'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })),
        responses: { '302': { description: 'To `<console>/integrations?connected=<id>` or `?error=<reason>`' } },
      },
    };
    return { ...document, paths };
  }

  html(): string {
    const rows = (Object.entries(routes) as [string, RouteDef][])
      .map(
        ([name, route]) =>
          `<tr><td><code>${route.method}</code></td><td><code>${escape(route.path)}</code></td><td>${escape(route.summary)}</td><td>${route.auth === 'session' ? 'session' : 'none'}</td><td><code>${name}</code></td></tr>`,
      )
      .join('\n');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ledgerlink API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;vertical-align:top}code{font-size:13px}</style>
</head><body>
<h1>Ledgerlink API <small>${escape(this.version)}</small></h1>
<p>The machine-readable description is <a href="/api/docs/openapi.json">/api/docs/openapi.json</a> (OpenAPI 3.1).
Routes marked <em>session</em> need the <code>ll_session</code> cookie from <code>POST /api/v1/auth/login</code>.
Refusals are <code>{"error":{"code","message","fields":[{"path","message"}]}}</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th><th>Auth</th><th>Operation</th></tr></thead><tbody>
${rows}
<tr><td><code>GET</code></td><td><code>/api/v1/oauth/callback</code></td><td>The provider's redirect after consent; redirects to the console.</td><td>session cookie</td><td><code>oauthCallback</code></td></tr>
</tbody></table>
</body></html>`;
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
