import { z } from 'zod';
import {
  Contact,
  ConnectorErrors,
  defineConnector,
  isConnectorError,
  type ConnectorContext,
  type ConnectorError,
  type ConnectorSession,
  type HttpResponse,
  type ItemResult,
  type RemoteContact,
  type UpsertedContact,
} from '@ledgerlink/connector-sdk';

const Config = z.object({ baseUrl: z.url({ error: 'baseUrl must be an absolute URL; fix LEDGERLINK_CONNECTOR_TINY_BOOKS_BASE_URL' }) });
type Config = z.output<typeof Config>;

/** Tiny Books' contact payload, validated before it is mapped. */
const TinyContact = z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), archived: z.boolean(), rev: z.number().int(), seq: z.number().int() });
type TinyContact = z.infer<typeof TinyContact>;
const TinyPage = z.object({ contacts: z.array(TinyContact), more: z.boolean() });

const fromTiny = (c: TinyContact): RemoteContact => ({
  id: c.id,
  version: String(c.rev),
  status: c.archived ? 'archived' : 'active',
  contact: Contact.parse({ kind: 'customer', displayName: c.name, emails: c.email ? [{ address: c.email }] : [] }),
});

function failure(response: HttpResponse): ConnectorError {
  const body = z.object({ error: z.string(), field: z.string().optional(), existingId: z.string().optional() }).safeParse(response.body);
  const message = body.success ? body.data.error : `HTTP ${response.status}`;
  switch (response.status) {
    case 429:
      return ConnectorErrors.rateLimited(message, Number(response.headers['retry-after'] ?? 60) || 60);
    case 401:
      return ConnectorErrors.authRevoked(`Tiny Books refused the API key: ${message}`);
    case 404:
      return ConnectorErrors.notFound(message);
    case 409:
      return ConnectorErrors.duplicate(body.success ? body.data.existingId : undefined, message, { field: 'displayName' });
    case 422:
      return ConnectorErrors.validation(body.success && body.data.field ? body.data.field : 'contact', message);
    default:
      return ConnectorErrors.transient(`Tiny Books answered ${response.status}: ${message}`);
  }
}

function connect(ctx: ConnectorContext<Config>): ConnectorSession {
  const call = async <S extends z.ZodType>(schema: S, method: 'GET' | 'POST' | 'PUT', path: string, extra: { query?: Record<string, string | number | boolean>; body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await ctx.http.request({ method, url: `${ctx.config.baseUrl}${path}`, ...extra });
    if (response.status >= 300) throw failure(response);
    return schema.parse(response.body) as z.output<S>;
  };
  const one = z.object({ contact: TinyContact });
  return {
    tenants: { list: async () => [{ id: ctx.tenantId, name: 'Tiny Books company' }] },
    contacts: {
      search: async ({ text, includeInactive }) =>
        (await call(TinyPage, 'GET', '/contacts', { query: { q: text, includeArchived: includeInactive === true } })).contacts.map(fromTiny),
      get: async ({ id }) => fromTiny((await call(one, 'GET', `/contacts/${encodeURIComponent(id)}`)).contact),
      list: async ({ checkpoint, pageSize }) => {
        const after = checkpoint ? Number(checkpoint) : 0;
        const page = await call(TinyPage, 'GET', '/contacts', { query: { after, limit: pageSize ?? 100, includeArchived: true } });
        return { items: page.contacts.map(fromTiny), checkpoint: String(page.contacts.at(-1)?.seq ?? after), hasMore: page.more };
      },
      upsert: async (items) => {
        const results: ItemResult<UpsertedContact>[] = [];
        for (const item of items) {
          try {
            const name = item.contact.displayName ?? '';
            if (name.length > 80) throw ConnectorErrors.validation('displayName', 'Tiny Books allows at most 80 characters in a name; shorten it');
            const body = { name, email: item.contact.emails[0]?.address ?? null };
            const headers = { 'idempotency-key': item.idempotencyKey };
            const { contact } = item.remoteId
              ? await call(one, 'PUT', `/contacts/${encodeURIComponent(item.remoteId)}`, { body, headers })
              : await call(one, 'POST', '/contacts', { body, headers });
            results.push({ ok: true, value: { remote: fromTiny(contact), created: !item.remoteId } });
          } catch (error) {
            results.push({ ok: false, error: (isConnectorError(error) ? error : ConnectorErrors.uncertain(String(error))).toJSON() });
          }
        }
        return results;
      },
    },
    deepLink: (entity, id) => (entity === 'customer' ? `${ctx.config.baseUrl}/app/contacts/${id}` : undefined),
  };
}

export default defineConnector<Config>({
  id: 'tiny-books',
  displayName: 'Tiny Books',
  description: 'Customers of a Tiny Books company.',
  category: 'accounting',
  host: '^0.1.0',
  capabilities: { contactKinds: ['customer'], search: true, read: true, write: true, remoteStatuses: ['archived'], uniqueDisplayNames: true },
  config: Config,
  auth: { type: 'api_key', label: 'Tiny Books API key' },
  fields: { customer: [{ id: 'name', label: 'Name', type: 'string', maxLength: 80, required: true, canonical: 'displayName' }, { id: 'email', label: 'Email', type: 'email', canonical: 'emails[primary]' }] },
  limits: { requestsPerWindow: 60, windowSeconds: 60, concurrency: 4, batchSize: 25, limitHeaders: { remaining: 'x-ratelimit-remaining' } },
  connect,
});
