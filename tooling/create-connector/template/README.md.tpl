# __PACKAGE_NAME__

The __DISPLAY_NAME__ connector for [Ledgerlink](https://github.com/ledgerlink/ledgerlink), made
with `create-connector`. Ledgerlink finds it by the `ledgerlink-connector` keyword once it is
installed next to the API, checks its manifest and its `host` range (`__SDK_RANGE__`) at start,
and refuses it with a clear message if either is wrong.

## Configuration

| variable | config key | |
|---|---|---|
| `__ENV_PREFIX__CLIENT_ID` | `clientId` | required |
| `__ENV_PREFIX__CLIENT_SECRET` | `clientSecret` | required |
| `__ENV_PREFIX__BASE_URL` | `baseUrl` | required: the provider's API and OAuth base URL |
| `__ENV_PREFIX__APP_BASE_URL` | `appBaseUrl` | optional: links into the provider's web app |
| `__ENV_PREFIX__WEBHOOK_SECRET` | `webhookSecret` | optional: verifies inbound webhooks |

## Layout

- `src/index.ts` — the manifest (`defineConnector`): capabilities, auth, field catalog, limits.
- `src/session.ts` — what the host calls: tenants, contacts (search, get, list, upsert), webhooks, deep links.
- `src/client.ts` — HTTP through the host's `ctx.http`, and provider answers → typed `ConnectorError`s.
- `src/vendor/*.schema.ts` — zod schemas of the provider's payloads; `src/mappers/` — pure mappers both ways.
- `test/fake-server.ts` — an in-memory stand-in for the provider on `node:http`.
- `test/conformance.test.ts` — the SDK's conformance kit against the fake server.

## Develop

```sh
npm run typecheck && npm test && npm run build
```

Replace the fake server's endpoints and the mappers with the real provider's, keep the
conformance test green, and point it at the provider's sandbox when it has one. A check you
cannot support is turned off by declaring the capability absent in the manifest, never by
skipping a test.
