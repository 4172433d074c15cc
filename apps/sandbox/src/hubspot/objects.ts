import { isJsonObject } from '../json.js';
import { associationType } from './associations.js';
import { HubspotErrors, type PropertyProblem } from './errors.js';
import type { ChangeSource, CrmRecord, HubspotPortal, ObjectType } from './store.js';

/** Properties HubSpot keeps itself; writing them is refused (READ_ONLY_VALUE). */
const SYSTEM_PROPERTIES: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: ['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'hs_merged_object_ids', 'hs_additional_emails'],
  companies: ['hs_object_id', 'createdate', 'hs_lastmodifieddate', 'hs_merged_object_ids'],
  notes: ['hs_object_id', 'hs_createdate', 'hs_lastmodifieddate'],
};

/** Writable default properties of a fresh portal (a subset of HubSpot's; custom ones can be added). */
const WRITABLE_PROPERTIES: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'company', 'website', 'jobtitle', 'address', 'city', 'state', 'zip', 'country', 'lifecyclestage', 'hubspot_owner_id', 'fax', 'industry'],
  companies: ['name', 'domain', 'phone', 'website', 'address', 'address2', 'city', 'state', 'zip', 'country', 'industry', 'description', 'numberofemployees', 'annualrevenue', 'lifecyclestage', 'hubspot_owner_id'],
  notes: ['hs_note_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_attachment_ids'],
};

/** Returned when a read names no properties (HubSpot's defaults per object). */
const DEFAULT_READ: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Always returned, whatever properties a read names. */
const ALWAYS_READ: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: ['createdate', 'hs_object_id', 'lastmodifieddate'],
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

export const DATETIME_PROPERTIES = new Set(['createdate', 'lastmodifieddate', 'hs_lastmodifieddate', 'hs_createdate', 'hs_timestamp']);
export const NUMBER_PROPERTIES = new Set(['hs_object_id', 'numberofemployees', 'annualrevenue']);

/** hs_note_body holds at most this many characters (HubSpot's notes guide: 65,536). */
const NOTE_BODY_MAX = 65_536;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isKnownProperty(portal: HubspotPortal, type: ObjectType, name: string): boolean {
  return SYSTEM_PROPERTIES[type].includes(name) || WRITABLE_PROPERTIES[type].includes(name) || portal.customProperties[type].has(name);
}

export function isBuiltInProperty(type: ObjectType, name: string): boolean {
  return SYSTEM_PROPERTIES[type].includes(name) || WRITABLE_PROPERTIES[type].includes(name);
}

/** Who is writing, and when. */
export interface WriteContext {
  readonly now: number;
  readonly source: ChangeSource;
}

/** Checks a `properties` object of a create or update and returns it as strings ("" clears). */
export function parseProperties(portal: HubspotPortal, type: ObjectType, raw: unknown, field = 'properties'): Map<string, string> {
  if (raw === undefined || raw === null) return new Map();
  if (!isJsonObject(raw)) throw HubspotErrors.validation(`Invalid input JSON: ${field} must be an object of property names to values, e.g. {"properties": {"email": "a@example.com"}}`);
  const problems: PropertyProblem[] = [];
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (SYSTEM_PROPERTIES[type].includes(name)) {
      problems.push({ isValid: false, message: `${name} is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE', name });
      continue;
    }
    if (!isKnownProperty(portal, type, name)) {
      problems.push({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name });
      continue;
    }
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push({ isValid: false, message: `${JSON.stringify(value)} is not a valid value for ${name}: send a string`, error: 'INVALID_VALUE', name });
      continue;
    }
    let text = value === null ? '' : String(value);
    if (name === 'email' && text !== '' && !EMAIL.test(text.trim())) {
      problems.push({ isValid: false, message: `Email address ${text} is invalid`, error: 'INVALID_EMAIL', name });
      continue;
    }
    if (name === 'email') text = text.trim();
    if (DATETIME_PROPERTIES.has(name) && text !== '') {
      const ms = parseDateValue(text);
      if (ms === undefined) {
        problems.push({ isValid: false, message: `${text} was not a valid long or ISO 8601 date-time for ${name}`, error: 'INVALID_DATE', name });
        continue;
      }
      text = new Date(ms).toISOString();
    }
    if (NUMBER_PROPERTIES.has(name) && text !== '' && !Number.isFinite(Number(text))) {
      problems.push({ isValid: false, message: `${text} was not a valid number for ${name}`, error: 'INVALID_INTEGER', name });
      continue;
    }
    if (name === 'hs_note_body' && text.length > NOTE_BODY_MAX) {
      problems.push({ isValid: false, message: `hs_note_body is ${text.length} characters; the limit is ${NOTE_BODY_MAX}`, error: 'INVALID_VALUE', name });
      continue;
    }
    out.set(name, text);
  }
  if (problems.length > 0) throw HubspotErrors.invalidProperties(problems);
  return out;
}

/** Epoch milliseconds (as a number or numeric string) or an ISO 8601 date-time / date. */
export function parseDateValue(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (/^-?\d+$/.test(value.trim())) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An association given inline on a create: `{to: {id}, types: [{associationCategory, associationTypeId}]}`. */
export interface InlineAssociation {
  readonly toType: ObjectType;
  readonly toId: string;
  readonly typeId: number;
}

export function parseInlineAssociations(portal: HubspotPortal, type: ObjectType, raw: unknown): InlineAssociation[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw HubspotErrors.validation('associations must be an array of {"to": {"id": "…"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}');
  const out: InlineAssociation[] = [];
  for (const [i, item] of raw.entries()) {
    const to = isJsonObject(item) ? item.to : undefined;
    const toId = isJsonObject(to) ? to.id : undefined;
    const types = isJsonObject(item) ? item.types : undefined;
    if ((typeof toId !== 'string' && typeof toId !== 'number') || !Array.isArray(types) || types.length === 0) {
      throw HubspotErrors.validation(`associations[${i}] needs "to": {"id": "…"} and a non-empty "types" array`);
    }
    for (const t of types) {
      const typeId = isJsonObject(t) ? Number(t.associationTypeId) : Number.NaN;
      const known = associationType(typeId);
      if (known === undefined || known.from !== type) {
        throw HubspotErrors.validation(`associations[${i}]: association type ${String(typeId)} is not defined from ${type}. The sandbox knows ${describeTypes(type)}.`);
      }
      const target = portal.objects[known.to].get(portal.resolveId(known.to, String(toId)));
      if (target === undefined || target.archived) {
        throw HubspotErrors.validation(`associations[${i}]: ${known.to} ${String(toId)} does not exist, so it cannot be associated.`);
      }
      out.push({ toType: known.to, toId: target.id, typeId });
    }
  }
  return out;
}

function describeTypes(type: ObjectType): string {
  const ids = [1, 2, 189, 190, 201, 202, 279, 280].map((id) => associationType(id)).filter((t) => t?.from === type);
  return ids.map((t) => `${String(t?.typeId)} (${t?.name ?? ''})`).join(', ');
}

/** Refuses an e-mail another live contact holds (HubSpot's 409 CONFLICT). */
function checkEmailFree(portal: HubspotPortal, email: string | undefined, selfId?: string): void {
  if (email === undefined || email === '') return;
  const holder = portal.contactIdByEmail(email);
  if (holder !== undefined && holder !== selfId) throw HubspotErrors.contactExists(holder);
}

function checkRequired(type: ObjectType, properties: ReadonlyMap<string, string>): void {
  if (type === 'notes' && (properties.get('hs_timestamp') ?? '') === '') {
    throw HubspotErrors.invalidProperties([
      { isValid: false, message: 'hs_timestamp is required: the time the note is shown at on the timeline (epoch ms or ISO 8601).', error: 'REQUIRED_PROPERTY', name: 'hs_timestamp' },
    ]);
  }
}

/** Checks a create without writing (so a batch can fail as a whole). */
export function checkCreate(portal: HubspotPortal, type: ObjectType, properties: ReadonlyMap<string, string>): void {
  checkRequired(type, properties);
  if (type === 'contacts') checkEmailFree(portal, properties.get('email'));
}

export function createRecord(portal: HubspotPortal, type: ObjectType, properties: ReadonlyMap<string, string>, associations: readonly InlineAssociation[], ctx: WriteContext): CrmRecord {
  checkCreate(portal, type, properties);
  const id = portal.allocateId(type);
  const iso = new Date(ctx.now).toISOString();
  const props = new Map<string, string>();
  for (const [name, value] of properties) if (value !== '') props.set(name, value);
  props.set('hs_object_id', id);
  if (type === 'notes') {
    props.set('hs_createdate', iso);
  } else {
    props.set('createdate', iso);
  }
  props.set('hs_lastmodifieddate', iso);
  if (type === 'contacts') props.set('lastmodifieddate', iso);
  const record: CrmRecord = { type, id, properties: props, createdMs: ctx.now, updatedMs: ctx.now, archived: false };
  portal.objects[type].set(id, record);
  const email = props.get('email');
  if (type === 'contacts' && email !== undefined) portal.indexEmail(email, id);
  for (const link of associations) {
    const inverse = associationType(link.typeId)?.inverse ?? 0;
    portal.associate(type, id, link.toType, link.toId, link.typeId, inverse);
  }
  portal.emit({ kind: 'creation', objectType: type, objectId: id, source: ctx.source, occurredAt: ctx.now });
  return record;
}

/** A live record by id (merged-away contact ids follow to the survivor); archived ones only with `archived`. */
export function findRecord(portal: HubspotPortal, type: ObjectType, id: string, archived = false): CrmRecord | undefined {
  const record = portal.objects[type].get(portal.resolveId(type, id));
  if (record === undefined || record.archived !== archived) return undefined;
  return record;
}

/** A live record by id or by a unique property (`idProperty=email` for contacts, any property otherwise). */
export function findRecordBy(portal: HubspotPortal, type: ObjectType, id: string, idProperty: string | undefined, archived = false): CrmRecord | undefined {
  if (idProperty === undefined || idProperty === '' || idProperty === 'hs_object_id') return findRecord(portal, type, id, archived);
  if (type === 'contacts' && idProperty === 'email' && !archived) {
    const holder = portal.contactIdByEmail(id);
    return holder === undefined ? undefined : findRecord(portal, type, holder);
  }
  for (const record of portal.objects[type].values()) {
    if (record.archived === archived && record.properties.get(idProperty) === id) return record;
  }
  return undefined;
}

export function checkUpdate(portal: HubspotPortal, record: CrmRecord, properties: ReadonlyMap<string, string>): void {
  if (record.type === 'contacts') checkEmailFree(portal, properties.get('email'), record.id);
  if (record.type === 'notes' && properties.get('hs_timestamp') === '') checkRequired('notes', properties);
}

/** Applies a PATCH: "" clears a property; one propertyChange event per value that really changed. */
export function updateRecord(portal: HubspotPortal, record: CrmRecord, properties: ReadonlyMap<string, string>, ctx: WriteContext): CrmRecord {
  checkUpdate(portal, record, properties);
  const changed: [string, string][] = [];
  for (const [name, value] of properties) {
    const before = record.properties.get(name) ?? '';
    if (before === value) continue;
    if (name === 'email') {
      if (before !== '') portal.unindexEmail(before, record.id);
      if (value !== '') portal.indexEmail(value, record.id);
    }
    if (value === '') record.properties.delete(name);
    else record.properties.set(name, value);
    changed.push([name, value]);
  }
  if (changed.length > 0 || properties.size > 0) {
    const iso = new Date(ctx.now).toISOString();
    record.updatedMs = ctx.now;
    record.properties.set('hs_lastmodifieddate', iso);
    if (record.type === 'contacts') record.properties.set('lastmodifieddate', iso);
  }
  for (const [name, value] of changed) {
    portal.emit({ kind: 'propertyChange', objectType: record.type, objectId: record.id, propertyName: name, propertyValue: value, source: ctx.source, occurredAt: ctx.now });
  }
  return record;
}

/** DELETE: the record moves to the recycle bin (archived), freeing its e-mail. */
export function archiveRecord(portal: HubspotPortal, record: CrmRecord, ctx: WriteContext): void {
  if (record.archived) return;
  record.archived = true;
  record.archivedMs = ctx.now;
  record.updatedMs = ctx.now;
  if (record.type === 'contacts') {
    for (const email of emailsOf(record)) portal.unindexEmail(email, record.id);
  }
  portal.emit({ kind: 'deletion', objectType: record.type, objectId: record.id, source: ctx.source, occurredAt: ctx.now });
}

function emailsOf(record: CrmRecord): string[] {
  const extra = (record.properties.get('hs_additional_emails') ?? '').split(';').filter((e) => e !== '');
  const primary = record.properties.get('email');
  return primary === undefined ? extra : [primary, ...extra];
}

/**
 * Merges two contacts or two companies (`POST /crm/v3/objects/{contacts|companies}/merge`). Companies
 * merge like contacts without the e-mail handling: the primary keeps its id and values, takes the
 * values it lacked and the associations, lists the merged id in `hs_merged_object_ids`, and the
 * merged id then reads as the primary.
 */
export function mergeRecords(portal: HubspotPortal, type: 'contacts' | 'companies', primaryId: string, mergedId: string, ctx: WriteContext): CrmRecord {
  const primary = findRecord(portal, type, primaryId);
  if (primary === undefined) throw HubspotErrors.notFound(primaryId);
  const merged = findRecord(portal, type, mergedId);
  if (merged === undefined) throw HubspotErrors.notFound(mergedId);
  if (merged.id === primary.id) throw HubspotErrors.validation(`Cannot merge ${type === 'contacts' ? 'contact' : 'company'} ${primary.id} with itself`);
  let moved = 0;
  for (const [name, value] of merged.properties) {
    if (SYSTEM_PROPERTIES[type].includes(name) || name === 'email' || name === 'hs_merged_object_ids') continue;
    if ((primary.properties.get(name) ?? '') === '') {
      primary.properties.set(name, value);
      moved += 1;
    }
  }
  if (type === 'contacts') {
    const mergedEmails = emailsOf(merged);
    for (const email of mergedEmails) portal.unindexEmail(email, merged.id);
    const additional = [...(primary.properties.get('hs_additional_emails') ?? '').split(';').filter((e) => e !== ''), ...mergedEmails].filter(
      (email) => email.toLowerCase() !== (primary.properties.get('email') ?? '').toLowerCase(),
    );
    if (additional.length > 0) primary.properties.set('hs_additional_emails', [...new Set(additional)].join(';'));
    for (const email of mergedEmails) portal.indexEmail(email, primary.id);
  }
  const mergedIds = [...(primary.properties.get('hs_merged_object_ids') ?? '').split(';').filter((e) => e !== ''), merged.id, ...(merged.properties.get('hs_merged_object_ids') ?? '').split(';').filter((e) => e !== '')];
  primary.properties.set('hs_merged_object_ids', mergedIds.join(';'));
  const iso = new Date(ctx.now).toISOString();
  primary.updatedMs = ctx.now;
  primary.properties.set('hs_lastmodifieddate', iso);
  if (type === 'contacts') primary.properties.set('lastmodifieddate', iso);
  portal.moveAssociations(type, merged.id, primary.id);
  portal.objects[type].delete(merged.id);
  portal.recordMerge(merged.id, primary.id);
  portal.emit({
    kind: 'merge',
    objectType: type,
    objectId: primary.id,
    primaryObjectId: primary.id,
    mergedObjectIds: [primary.id, merged.id],
    newObjectId: primary.id,
    numberOfPropertiesMoved: moved,
    source: ctx.source,
    occurredAt: ctx.now,
  });
  return primary;
}

/** Options of a read: `properties` (undefined = the type's defaults) and `associations` to include. */
export interface RenderOptions {
  readonly properties?: readonly string[] | undefined;
  readonly associations?: readonly ObjectType[] | undefined;
  /** Return every stored property (the control API's raw view, and create/update answers). */
  readonly all?: boolean;
}

/** A record as HubSpot's SimplePublicObject. */
export function renderRecord(portal: HubspotPortal, record: CrmRecord, options: RenderOptions = {}): Record<string, unknown> {
  const names = options.all === true ? [...record.properties.keys()] : options.properties === undefined || options.properties.length === 0 ? DEFAULT_READ[record.type] : [...options.properties, ...ALWAYS_READ[record.type]];
  const properties: Record<string, string | null> = {};
  for (const name of [...new Set(names)].sort()) properties[name] = record.properties.get(name) ?? null;
  const out: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdMs).toISOString(),
    updatedAt: new Date(record.updatedMs).toISOString(),
    archived: record.archived,
  };
  if (record.archivedMs !== undefined) out.archivedAt = new Date(record.archivedMs).toISOString();
  if (options.associations !== undefined && options.associations.length > 0) {
    const associations: Record<string, unknown> = {};
    for (const toType of options.associations) {
      const links = portal.associations(record.type, record.id, toType);
      if (links.length === 0) continue;
      associations[toType] = {
        results: links.flatMap((link) => link.typeIds.map((typeId) => ({ id: link.toId, type: associationType(typeId)?.name ?? String(typeId) }))),
      };
    }
    if (Object.keys(associations).length > 0) out.associations = associations;
  }
  return out;
}
