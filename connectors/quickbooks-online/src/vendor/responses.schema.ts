import { z } from 'zod';

/** Envelopes around QBO entities: single-entity reads/writes, queries and faults. */

/** `{"QueryResponse": {"Customer": [...], "startPosition": 1, "maxResults": 2}, "time": "…"}`; empty → `{}`. */
export const QboQueryEnvelope = z.object({
  QueryResponse: z.record(z.string(), z.unknown()),
  time: z.string().nullish(),
});
export type QboQueryEnvelope = z.infer<typeof QboQueryEnvelope>;

/** One error of a JSON Fault, upper-camel (API) form. */
export const QboFaultError = z.object({
  Message: z.string().nullish(),
  Detail: z.string().nullish(),
  code: z.union([z.string(), z.number()]).transform(String).nullish(),
  element: z.string().nullish(),
});

export const QboFaultEnvelope = z.object({
  Fault: z.object({
    Error: z.array(QboFaultError).default([]),
    type: z.string().nullish(),
  }),
});

/** The gateway's lower-camel envelope (seen on 401/403): `{"fault":{"error":[{"message","detail","code"}],"type"}}`. */
export const QboGatewayFaultEnvelope = z.object({
  fault: z.object({
    error: z
      .array(
        z.object({
          message: z.string().nullish(),
          detail: z.string().nullish(),
          code: z.union([z.string(), z.number()]).transform(String).nullish(),
          element: z.string().nullish(),
        }),
      )
      .default([]),
    type: z.string().nullish(),
  }),
});
