import { z } from 'zod';

/** Entities a mapping can be about (a contact kind or a transaction type from the connector's catalog). */
export const MappingEntity = z.string().regex(/^[a-z_]+$/, 'is an entity name such as "customer" or "supplier"');

export const MappingParams = z.object({ id: z.string(), entity: MappingEntity });

export const FieldTransformSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('trim') }),
  z.object({ kind: z.literal('upper') }),
  z.object({ kind: z.literal('lower') }),
  z.object({ kind: z.literal('truncate'), maxLength: z.number().int().positive() }),
  z.object({ kind: z.literal('phone_e164'), defaultCallingCode: z.string().regex(/^\d{1,3}$/, 'is 1 to 3 digits, e.g. "61"').optional() }),
]);

export const FieldRuleSchema = z.object({
  /** Canonical Contact path, e.g. "emails[primary]". */
  source: z.string().min(1),
  /** Remote field id from the catalog. */
  target: z.string().min(1),
  enabled: z.boolean(),
  direction: z.enum(['out', 'in', 'both']),
  transform: FieldTransformSchema,
  overLength: z.enum(['reject', 'truncate']).optional(),
});
export type FieldRuleView = z.infer<typeof FieldRuleSchema>;

export const FieldMappingView = z.object({
  version: z.number().int(),
  effectiveFrom: z.string(),
  rules: z.array(FieldRuleSchema),
  /** Who saved it; null for the built-in default. */
  createdBy: z.string().nullable(),
});
export type FieldMappingView = z.infer<typeof FieldMappingView>;

export const CatalogField = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  maxLength: z.number().int().nullable(),
  required: z.boolean(),
  writable: z.boolean(),
  secure: z.boolean(),
  canonical: z.string().nullable(),
});
export type CatalogField = z.infer<typeof CatalogField>;

export const MappingDetail = z.object({
  connectionId: z.string(),
  entity: z.string(),
  /** The version in force now; the connector's default (version 0, never saved) when none was saved. */
  current: FieldMappingView,
  /** True when `current` is the connector's default rather than a saved version. */
  isDefault: z.boolean(),
  catalog: z.array(CatalogField),
  defaults: z.array(FieldRuleSchema),
});
export type MappingDetail = z.infer<typeof MappingDetail>;

export const SaveMappingRequest = z.object({ rules: z.array(FieldRuleSchema).max(200) });
export type SaveMappingRequest = z.infer<typeof SaveMappingRequest>;

export const PreviewMappingRequest = z.object({
  rules: z.array(FieldRuleSchema).max(200),
  /** Local contact ids to preview; default the 20 most recently changed contacts of the entity's kind. */
  contactIds: z.array(z.string()).max(100).optional(),
});
export type PreviewMappingRequest = z.infer<typeof PreviewMappingRequest>;

export const MappingProblemView = z.object({ field: z.string(), code: z.string(), message: z.string(), fix: z.string() });

export const MappingPreviewView = z.object({
  records: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      changes: z.array(z.object({ field: z.string(), change: z.enum(['added', 'removed', 'changed']), before: z.string().nullable(), after: z.string().nullable() })),
      newProblems: z.array(MappingProblemView),
    }),
  ),
  summary: z.object({ records: z.number().int(), changed: z.number().int(), withNewProblems: z.number().int() }),
  /** Problems with the mapping itself (it could not be saved as is). */
  mappingProblems: z.array(MappingProblemView),
});
export type MappingPreviewView = z.infer<typeof MappingPreviewView>;

export const MappingVersionList = z.object({ items: z.array(FieldMappingView) });
export type MappingVersionList = z.infer<typeof MappingVersionList>;
