import { Inject, Injectable } from '@nestjs/common';
import type { FieldSpec } from '@ledgerlink/connector-sdk';
import { defaultMapping, type FieldMapping, type FieldRule, selectMappingVersion } from '@ledgerlink/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';

const EPOCH = new Date(0).toISOString();

export interface MappingHistory {
  readonly catalog: readonly FieldSpec[];
  /** Saved versions, newest first. */
  readonly versions: readonly FieldMapping[];
  /**
   * The version in force at `at` (ISO time): the newest saved one whose effectiveFrom has passed,
   * else the connector's default. A change to the mapping applies to records changed after it.
   */
  at(at: string): FieldMapping;
}

/** Reads a connection's saved mapping versions with the connector's catalog (for the workers that write). */
@Injectable()
export class MappingVersions {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: ConnectorRegistry,
  ) {}

  /** Null when the connector has no field catalog for the entity (nothing to map). */
  async history(workspaceId: string, connectionId: string, connectorId: string, entity: string): Promise<MappingHistory | null> {
    const catalogs: Readonly<Record<string, readonly FieldSpec[] | undefined>> = this.registry.find(connectorId)?.definition.fields ?? {};
    const catalog = catalogs[entity];
    if (!catalog) return null;
    const rows = await this.prisma.fieldMapping.findMany({
      where: { workspaceId, connectionId, entity },
      orderBy: { version: 'desc' },
      select: { version: true, effectiveFrom: true, rules: true },
    });
    const versions = rows.map(toMapping);
    const fallback = defaultMapping(catalog, EPOCH);
    return { catalog, versions, at: (at) => selectMappingVersion(versions, at) ?? fallback };
  }
}

export function toMapping(row: { readonly version: number; readonly effectiveFrom: Date; readonly rules: Prisma.JsonValue }): FieldMapping {
  return { version: row.version, effectiveFrom: row.effectiveFrom.toISOString(), rules: Array.isArray(row.rules) ? (row.rules as unknown as FieldRule[]) : [] };
}
