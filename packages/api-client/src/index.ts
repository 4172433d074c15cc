export { createApiClient, type ApiClient, type ApiClientOptions, type CallOptions } from './api-client.js';
export { createHttpClient, CSRF_COOKIE, CSRF_HEADER, type HttpClient, type HttpClientOptions } from './http-client.js';
export { ApiClientError, isApiClientError, type FieldError } from './api-client-error.js';
export type { CallArgs, CallInput, CallResult, PathParamNames, RouteTable, SchemaInput, SchemaOutput } from './route-types.js';
