import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from './zod-issues.js';

/** `@Body(new ZodPipe(schema))`: validates with a contract schema, 400 names each field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' | 'path' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    return parseOrThrow(this.schema, value ?? {}, this.where);
  }
}
