import type { RouteDef } from '@ledgerlink/contract';

/** A table of routes shaped like the contract's `routes` (any `as const` table satisfying `RouteDef`). */
export type RouteTable = Readonly<Record<string, RouteDef>>;

/** What a schema accepts (zod's `z.input`, read structurally so this package needs no zod import). */
export type SchemaInput<S> = S extends { _zod: { input: infer I } } ? I : unknown;
/** What a schema produces after parsing (zod's `z.output`). */
export type SchemaOutput<S> = S extends { _zod: { output: infer O } } ? O : unknown;

/** `'/a/:id/b/:uploadId'` → `'id' | 'uploadId'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ParamsInput<R extends RouteDef> = R extends { params: infer S }
  ? { params: SchemaInput<S> }
  : [PathParamNames<R['path']>] extends [never]
    ? { params?: undefined }
    : { params: Record<PathParamNames<R['path']>, string> };

type QueryInput<R extends RouteDef> = R extends { query: infer S } ? { query?: SchemaInput<S> } : { query?: undefined };

type BodyInput<R extends RouteDef> = R extends { body: infer S } ? { body: SchemaInput<S> } : { body?: undefined };

/** The argument of `call(name, input)` for one route: path params, query and body, each only when the route has it. */
export type CallInput<R extends RouteDef> = ParamsInput<R> & QueryInput<R> & BodyInput<R> & {
  /** Abort the request (e.g. when the component that asked for it goes away). */
  signal?: AbortSignal;
};

/** The parsed response body of a route. */
export type CallResult<R extends RouteDef> = SchemaOutput<R['response']>;

/** `[input?]` when every part of the input is optional, else `[input]`. */
export type CallArgs<R extends RouteDef> = object extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];
