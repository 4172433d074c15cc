import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';
import { routes } from './routes.js';
import { ContactListQuery, UploadRequest, UpsertContactRequest } from './contacts.js';
import { LoginRequest } from './auth.js';
import { CreateApiKeyRequest } from './api-keys.js';
import { CreateLinkRequest } from './links.js';
import { SuggestionDecisionsRequest, SuggestionListQuery } from './matching.js';

describe('the public route table', () => {
  it('describes every route in the OpenAPI document with its method, path parameters and error shape', () => {
    const doc = buildOpenApi({ version: '1.2.3' }) as { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, route] of Object.entries(routes)) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op?.operationId, `${name} is documented`).toBe(name);
      expect(op?.responses['4XX']).toBeDefined();
      const pathParams = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      expect(op?.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(pathParams);
    }
  });

  it('documents that session routes take the cookie with X-CSRF-Token, or a bearer API key', () => {
    const doc = buildOpenApi({ version: '1' }) as { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, { security?: unknown }>> };
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['session', 'csrf', 'apiKey']);
    expect(doc.paths['/api/v1/connections/{id}/links']?.post?.security).toEqual([{ session: [], csrf: [] }, { apiKey: [] }]);
  });

  it('documents list filters as query parameters', () => {
    const doc = buildOpenApi({ version: '1' }) as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> };
    const names = doc.paths['/api/v1/contacts']?.get?.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['kind', 'linked', 'page', 'pageSize', 'q']));
  });
});

describe('request schemas name the bad field', () => {
  it('refuses a login without a valid e-mail', () => {
    const result = LoginRequest.safeParse({ email: 'not-an-email', password: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['email']);
  });

  it('refuses an empty upload with a message that says what to do', () => {
    const result = UploadRequest.safeParse({ contactIds: [] });
    expect(result.error?.issues[0]?.message).toBe('choose at least one contact to upload');
  });

  it('refuses a contact without a display name and trims whitespace', () => {
    expect(UpsertContactRequest.safeParse({ kind: 'customer', displayName: '   ' }).error?.issues[0]?.path).toEqual(['displayName']);
    expect(UpsertContactRequest.parse({ kind: 'customer', displayName: '  Acme  ' }).displayName).toBe('Acme');
  });

  it('refuses an API key without a name, saying what the name is for, and defaults the role to admin', () => {
    expect(CreateApiKeyRequest.safeParse({ name: ' ' }).error?.issues[0]).toMatchObject({ path: ['name'], message: 'must not be empty: name the app that will use the key' });
    expect(CreateApiKeyRequest.parse({ name: 'Host app' }).role).toBe('admin');
    expect(CreateApiKeyRequest.safeParse({ name: 'x', role: 'owner' }).error?.issues[0]?.path).toEqual(['role']);
  });

  it('refuses a link without a remote id, naming the field', () => {
    expect(CreateLinkRequest.safeParse({ contactId: 'c1' }).error?.issues[0]?.path).toEqual(['remoteId']);
  });

  it('parses list filters from query strings', () => {
    expect(ContactListQuery.parse({ linked: 'false', page: '2' })).toEqual({ linked: false, page: 2, pageSize: 50 });
    expect(ContactListQuery.safeParse({ pageSize: '100000' }).success).toBe(false);
  });

  it('refuses a suggestion decision other than accept or reject, and an empty list, saying what to do', () => {
    expect(SuggestionDecisionsRequest.safeParse({ decisions: [{ suggestionId: 's1', action: 'maybe' }] }).error?.issues[0]).toMatchObject({
      path: ['decisions', 0, 'action'],
      message: "must be 'accept' or 'reject'",
    });
    expect(SuggestionDecisionsRequest.safeParse({ decisions: [] }).error?.issues[0]?.message).toBe('give at least one decision');
    expect(SuggestionListQuery.parse({ page: '3' })).toEqual({ page: 3, pageSize: 50 });
  });
});
