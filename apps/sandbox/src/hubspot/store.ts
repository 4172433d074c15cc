import { randomUUID } from 'node:crypto';

/** The CRM object types the sandbox serves. */
export const OBJECT_TYPES = ['contacts', 'companies', 'notes'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** HubSpot's object type ids (`0-1` contacts, `0-2` companies, `0-46` notes). */
export const OBJECT_TYPE_IDS: Readonly<Record<ObjectType, string>> = { contacts: '0-1', companies: '0-2', notes: '0-46' };

/** Accepts what HubSpot accepts in a path: `contacts`, `contact`, `0-1` (any case). */
export function parseObjectType(value: string): ObjectType | undefined {
  const v = value.toLowerCase();
  for (const type of OBJECT_TYPES) {
    if (v === type || v === type.slice(0, -1) || v === OBJECT_TYPE_IDS[type] || (type === 'companies' && v === 'company')) return type;
  }
  return undefined;
}

/** One CRM record. Property values are strings, as HubSpot stores and returns them. */
export interface CrmRecord {
  readonly type: ObjectType;
  readonly id: string;
  readonly properties: Map<string, string>;
  readonly createdMs: number;
  updatedMs: number;
  archived: boolean;
  archivedMs?: number;
}

/** What changed in a portal; the webhook dispatcher turns these into HubSpot events. */
export type ChangeEvent =
  | { readonly kind: 'creation'; readonly objectType: ObjectType; readonly objectId: string; readonly source: ChangeSource; readonly occurredAt: number }
  | { readonly kind: 'deletion'; readonly objectType: ObjectType; readonly objectId: string; readonly source: ChangeSource; readonly occurredAt: number }
  | {
      readonly kind: 'propertyChange';
      readonly objectType: ObjectType;
      readonly objectId: string;
      readonly propertyName: string;
      readonly propertyValue: string;
      readonly source: ChangeSource;
      readonly occurredAt: number;
    }
  | {
      readonly kind: 'merge';
      readonly objectType: ObjectType;
      readonly objectId: string;
      readonly primaryObjectId: string;
      readonly mergedObjectIds: readonly string[];
      readonly newObjectId: string;
      readonly numberOfPropertiesMoved: number;
      readonly source: ChangeSource;
      readonly occurredAt: number;
    };

/** Who made a change: an app through the API, or a person in HubSpot's UI (the control API). */
export type ChangeSource = 'API' | 'CRM_UI';

/** First id of each type, in separate ranges so a company id passed as a contact id is a 404. */
const FIRST_ID: Readonly<Record<ObjectType, number>> = { contacts: 101, companies: 20_001, notes: 50_001 };

/**
 * One HubSpot account (portal, "hub"). Records live in maps keyed by id in id order; contacts'
 * e-mails (primary and additional) are indexed in lower case for the uniqueness rule.
 */
export class HubspotPortal {
  readonly portalId: number;
  readonly name: string;
  readonly domain: string;
  /** The portal's private-app access token (`pat-na1-…`). */
  readonly privateAppToken: string;
  readonly createdMs: number;
  readonly objects: Readonly<Record<ObjectType, Map<string, CrmRecord>>> = { contacts: new Map(), companies: new Map(), notes: new Map() };
  /** Custom properties created through `POST /crm/v3/properties/:objectType`. */
  readonly customProperties: Readonly<Record<ObjectType, Set<string>>> = { contacts: new Set(), companies: new Set(), notes: new Set() };
  private readonly emails = new Map<string, string>();
  /** Ids of contacts and companies merged away → the id of the record that survived (ids never collide across types). */
  private readonly mergedInto = new Map<string, string>();
  private readonly nextId: Record<ObjectType, number> = { ...FIRST_ID };
  /** `type:id` → `toType:toId` → association type ids. Both directions are stored. */
  private readonly links = new Map<string, Map<string, Set<number>>>();
  listener: ((event: ChangeEvent) => void) | undefined;

  constructor(settings: { portalId: number; name: string; privateAppToken?: string; createdMs: number }) {
    this.portalId = settings.portalId;
    this.name = settings.name;
    this.domain = `${settings.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'portal'}.sandbox.hubspot.invalid`;
    this.privateAppToken = settings.privateAppToken ?? `pat-na1-${randomUUID()}`;
    this.createdMs = settings.createdMs;
  }

  allocateId(type: ObjectType): string {
    const id = String(this.nextId[type]);
    this.nextId[type] += 1;
    return id;
  }

  emit(event: ChangeEvent): void {
    this.listener?.(event);
  }

  /** The live contact holding this e-mail (primary or additional), if any. */
  contactIdByEmail(email: string): string | undefined {
    return this.emails.get(email.trim().toLowerCase());
  }

  indexEmail(email: string, contactId: string): void {
    if (email.trim() !== '') this.emails.set(email.trim().toLowerCase(), contactId);
  }

  unindexEmail(email: string, contactId: string): void {
    const key = email.trim().toLowerCase();
    if (this.emails.get(key) === contactId) this.emails.delete(key);
  }

  /** Follows merges: the id a merged-away contact now lives under. */
  resolveId(type: ObjectType, id: string): string {
    if (type === 'notes') return id;
    let current = id;
    for (let hops = 0; hops < 100; hops += 1) {
      const next = this.mergedInto.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  recordMerge(fromId: string, intoId: string): void {
    this.mergedInto.set(fromId, intoId);
  }

  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number, inverseTypeId: number): void {
    this.link(`${fromType}:${fromId}`, `${toType}:${toId}`, typeId);
    this.link(`${toType}:${toId}`, `${fromType}:${fromId}`, inverseTypeId);
  }

  /** Removes every association between the two records (both directions). */
  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.links.get(`${fromType}:${fromId}`)?.delete(`${toType}:${toId}`);
    this.links.get(`${toType}:${toId}`)?.delete(`${fromType}:${fromId}`);
  }

  /** Associations of one record to records of `toType`, in id order. */
  associations(fromType: ObjectType, fromId: string, toType: ObjectType): { toId: string; typeIds: number[] }[] {
    const out: { toId: string; typeIds: number[] }[] = [];
    for (const [key, types] of this.links.get(`${fromType}:${fromId}`) ?? []) {
      const [type, id] = key.split(':') as [string, string];
      if (type !== toType || types.size === 0) continue;
      const target = this.objects[toType].get(id);
      if (target === undefined || target.archived) continue;
      out.push({ toId: id, typeIds: [...types].sort((a, b) => a - b) });
    }
    return out.sort((a, b) => Number(a.toId) - Number(b.toId));
  }

  /** Moves every association of `fromId` onto `intoId` (a merge). */
  moveAssociations(type: ObjectType, fromId: string, intoId: string): void {
    const own = this.links.get(`${type}:${fromId}`);
    if (own === undefined) return;
    this.links.delete(`${type}:${fromId}`);
    for (const [other, types] of own) {
      const back = this.links.get(other)?.get(`${type}:${fromId}`) ?? new Set<number>();
      this.links.get(other)?.delete(`${type}:${fromId}`);
      for (const typeId of types) this.link(`${type}:${intoId}`, other, typeId);
      for (const typeId of back) this.link(other, `${type}:${intoId}`, typeId);
    }
  }

  private link(from: string, to: string, typeId: number): void {
    let targets = this.links.get(from);
    if (targets === undefined) {
      targets = new Map();
      this.links.set(from, targets);
    }
    let types = targets.get(to);
    if (types === undefined) {
      types = new Set();
      targets.set(to, types);
    }
    types.add(typeId);
  }
}

/** All HubSpot portals of one sandbox. */
export class HubspotStore {
  private readonly portals = new Map<number, HubspotPortal>();
  private nextPortalId = 48_100_001;
  /** Called for every change in every portal (the webhook dispatcher). */
  listener: ((portal: HubspotPortal, event: ChangeEvent) => void) | undefined;

  createPortal(settings: { name: string; portalId?: number; privateAppToken?: string; createdMs: number }): HubspotPortal {
    let portalId = settings.portalId;
    if (portalId !== undefined && this.portals.has(portalId)) throw new Error(`Portal ${portalId} already exists`);
    while (portalId === undefined || this.portals.has(portalId)) {
      portalId = this.nextPortalId;
      this.nextPortalId += 1;
    }
    const portal = new HubspotPortal({ ...settings, portalId });
    portal.listener = (event) => this.listener?.(portal, event);
    this.portals.set(portalId, portal);
    return portal;
  }

  get(portalId: number): HubspotPortal | undefined {
    return this.portals.get(portalId);
  }

  byPrivateAppToken(token: string): HubspotPortal | undefined {
    for (const portal of this.portals.values()) if (portal.privateAppToken === token) return portal;
    return undefined;
  }

  list(): HubspotPortal[] {
    return [...this.portals.values()];
  }

  clear(): void {
    this.portals.clear();
  }
}
