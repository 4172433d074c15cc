import { createTestHttpClient, type TestHttpClient } from '@ledgerlink/connector-sdk/testing';
import type { Credentials } from '@ledgerlink/connector-sdk';

/**
 * The connector's tests use the conformance kit's fetch-based HttpClient (it adds the bearer
 * token and records every request in `sent`). Kept under the old names for existing imports.
 */
export type RecordingHttpClient = TestHttpClient;

export function fetchHttpClient(credentials: () => Credentials): RecordingHttpClient {
  return createTestHttpClient(credentials);
}
