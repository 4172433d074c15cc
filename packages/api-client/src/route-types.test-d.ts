// Compile-time checks of the client's types; `pnpm typecheck` fails if any expectation breaks.
import type { ApiClient } from './api-client.js';
import type { PathParamNames } from './route-types.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

assertType<Equal<PathParamNames<'/api/v1/connections/:id/uploads/:uploadId'>, 'id' | 'uploadId'>>();
assertType<Equal<PathParamNames<'/api/v1/health'>, never>>();

export async function typeChecks(client: ApiClient): Promise<void> {
  const _status = await client.call('getUpload', { params: { id: 'c1', uploadId: 'u1' } });
  assertType<Equal<typeof _status.state, 'queued' | 'running' | 'completed' | 'failed'>>();
  await client.call('health');
  await client.call('listContacts');
  await client.call('listContacts', { query: { kind: 'supplier', page: 2 } });
  // @ts-expect-error uploadId is a required path parameter
  await client.call('getUpload', { params: { id: 'c1' } });
  // @ts-expect-error login needs a body
  await client.call('login');
  // @ts-expect-error kind is customer or supplier
  await client.call('listContacts', { query: { kind: 'vendor' } });
  // @ts-expect-error there is no such route
  await client.call('deleteEverything');
}
