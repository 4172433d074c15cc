import { Inject, Injectable } from '@nestjs/common';
import type { CatalogField, FieldMappingView, MappingDetail, MappingPreviewView, MappingVersionList, PreviewMappingRequest, SaveMappingRequest } from '@ledgerlink/contract';
import type { Contact, FieldSpec } from '@ledgerlink/connector-sdk';
import { defaultMapping, type FieldMapping, type FieldRule, previewMapping, reviseMapping, selectMappingVersion, validateMapping } from '@ledgerlink/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { PRISMA } from '../app/tokens.js';
import { ApiErrors } from '../common/api-error.js';
import { type AuthContext, actorOf } from '../auth/auth.context.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { toMapping } from './mapping-versions.js';

const EPOCH = new Date(0).toISOString();
const DEFAULT_SAMPLE = 20;

interface VersionRow {
  readonly version: number;
  readonly effectiveFrom: Date;
  readonly rules: Prisma.JsonValue;
  readonly createdBy: string | null;
}


function toView(mapping: FieldMapping, createdBy: string | null): FieldMappingView {
  return { version: mapping.version, effectiveFrom: mapping.effectiveFrom, rules: mapping.rules.map((r) => ({ ...r })), createdBy };
}

/** The request's rules as core's FieldRule (optional properties left out rather than undefined). */
function toRules(rules: SaveMappingRequest['rules']): FieldRule[] {
  return rules.map((rule) => {
    const t = rule.transform;
    const transform: FieldRule['transform'] = t.kind === 'phone_e164' ? (t.defaultCallingCode === undefined ? { kind: t.kind } : { kind: t.kind, defaultCallingCode: t.defaultCallingCode }) : t;
    const base = { source: rule.source, target: rule.target, enabled: rule.enabled, direction: rule.direction, transform };
    return rule.overLength === undefined ? base : { ...base, overLength: rule.overLength };
  });
}

function toCatalogField(spec: FieldSpec): CatalogField {
  return {
    id: spec.id, label: spec.label, type: spec.type, maxLength: spec.maxLength ?? null, required: spec.required ?? false,
    writable: spec.writable ?? true, secure: spec.secure ?? false, canonical: spec.canonical ?? null,
  };
}

/**
 * Versioned field mappings per connection and entity. The version in force is the newest whose
 * effectiveFrom has passed; with none saved, the connector's default applies (version 0).
 */
@Injectable()
export class MappingService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly registry: ConnectorRegistry,
  ) {}

  async detail(auth: AuthContext, connectionId: string, entity: string): Promise<MappingDetail> {
    const { catalog } = await this.catalogFor(auth, connectionId, entity);
    const rows = await this.versions(auth.workspaceId, connectionId, entity);
    const defaults = defaultMapping(catalog, EPOCH);
    const current = selectMappingVersion(rows.map(toMapping), new Date().toISOString());
    const currentRow = current ? rows.find((r) => r.version === current.version) : undefined;
    return {
      connectionId,
      entity,
      current: current ? toView(current, currentRow?.createdBy ?? null) : toView({ ...defaults, version: 0 }, null),
      isDefault: current === null,
      catalog: catalog.map(toCatalogField),
      defaults: defaults.rules.map((r) => ({ ...r })),
    };
  }

  async save(auth: AuthContext, connectionId: string, entity: string, body: SaveMappingRequest): Promise<MappingDetail> {
    const { catalog } = await this.catalogFor(auth, connectionId, entity);
    const rows = await this.versions(auth.workspaceId, connectionId, entity);
    const now = new Date().toISOString();
    const latest = rows[0] ? toMapping(rows[0]) : null;
    const result = reviseMapping({ current: latest, rules: toRules(body.rules), catalog, now });
    if (!result.ok) {
      throw ApiErrors.invalid(
        `The mapping was not saved: ${result.problems.map((p) => p.message).join('; ')}.`,
        result.problems.map((p) => ({ path: p.field, message: `${p.message} (fix: ${p.fix})` })),
      );
    }
    const mapping = result.mapping;
    await this.prisma.$transaction([
      this.prisma.fieldMapping.create({
        data: {
          workspaceId: auth.workspaceId, connectionId, entity, version: mapping.version, effectiveFrom: new Date(mapping.effectiveFrom),
          rules: mapping.rules as unknown as Prisma.InputJsonValue, createdBy: auth.userId,
        },
      }),
      this.prisma.auditLog.create({
        data: {
          workspaceId: auth.workspaceId, ...actorOf(auth), action: 'mapping.saved', entityType: 'connection', entityId: connectionId,
          details: { entity, version: mapping.version, rules: mapping.rules.length },
        },
      }),
    ]);
    return this.detail(auth, connectionId, entity);
  }

  async preview(auth: AuthContext, connectionId: string, entity: string, body: PreviewMappingRequest): Promise<MappingPreviewView> {
    const { catalog } = await this.catalogFor(auth, connectionId, entity);
    const rows = await this.versions(auth.workspaceId, connectionId, entity);
    const now = new Date().toISOString();
    const current = selectMappingVersion(rows.map(toMapping), now) ?? { ...defaultMapping(catalog, EPOCH), version: 0 };
    const proposed: FieldMapping = { version: current.version + 1, effectiveFrom: now, rules: toRules(body.rules) };
    const contacts = await this.prisma.contact.findMany({
      where: body.contactIds ? { workspaceId: auth.workspaceId, id: { in: body.contactIds } } : { workspaceId: auth.workspaceId, kind: entity },
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
      take: body.contactIds ? body.contactIds.length : DEFAULT_SAMPLE,
      select: { id: true, displayName: true, data: true },
    });
    if (body.contactIds) {
      const found = new Set(contacts.map((c) => c.id));
      const missing = body.contactIds.filter((id) => !found.has(id));
      if (missing.length > 0) throw ApiErrors.notFound(`Contact ${missing.join(', ')}`);
    }
    const names = new Map(contacts.map((c) => [c.id, c.displayName]));
    const result = previewMapping(current, proposed, contacts.map((c) => ({ id: c.id, contact: c.data as unknown as Contact })), catalog);
    return {
      records: result.records.map((r) => ({ id: r.id, displayName: names.get(r.id) ?? '', changes: r.changes.map((c) => ({ ...c })), newProblems: r.newProblems.map((p) => ({ ...p })) })),
      summary: { ...result.summary },
      mappingProblems: validateMapping(proposed, catalog).map((p) => ({ ...p })),
    };
  }

  async history(auth: AuthContext, connectionId: string, entity: string): Promise<MappingVersionList> {
    await this.catalogFor(auth, connectionId, entity);
    const rows = await this.versions(auth.workspaceId, connectionId, entity);
    return { items: rows.map((row) => toView(toMapping(row), row.createdBy)) };
  }

  private catalogs(connectorId: string): Readonly<Record<string, readonly FieldSpec[] | undefined>> {
    return this.registry.find(connectorId)?.definition.fields ?? {};
  }

  private versions(workspaceId: string, connectionId: string, entity: string): Promise<VersionRow[]> {
    return this.prisma.fieldMapping.findMany({
      where: { workspaceId, connectionId, entity },
      orderBy: { version: 'desc' },
      select: { version: true, effectiveFrom: true, rules: true, createdBy: true },
    });
  }

  private async catalogFor(auth: AuthContext, connectionId: string, entity: string): Promise<{ catalog: readonly FieldSpec[] }> {
    const connection = await this.prisma.connection.findFirst({ where: { id: connectionId, workspaceId: auth.workspaceId }, select: { connectorId: true } });
    if (!connection) throw ApiErrors.notFound(`Connection ${connectionId}`);
    const catalogs = this.catalogs(connection.connectorId);
    const catalog = catalogs[entity];
    if (!catalog) {
      const known = Object.keys(catalogs).filter((k) => catalogs[k]);
      throw ApiErrors.notFound(`A field catalog for "${entity}" (this connector describes: ${known.join(', ') || 'none'})`);
    }
    return { catalog };
  }
}
