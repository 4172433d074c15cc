import type { ObjectType } from './store.js';

/** One HubSpot-defined association type between two object types. */
export interface AssociationType {
  readonly from: ObjectType;
  readonly to: ObjectType;
  readonly typeId: number;
  /** The v3 name, e.g. `contact_to_company`. */
  readonly name: string;
  /** `Primary` for the primary company, null for unlabeled. */
  readonly label: string | null;
  readonly inverse: number;
  /** The type `…/associations/default/…` creates. */
  readonly isDefault: boolean;
}

/** HubSpot-defined association types between contacts, companies and notes (associations v4 docs). */
export const ASSOCIATION_TYPES: readonly AssociationType[] = [
  { from: 'contacts', to: 'companies', typeId: 279, name: 'contact_to_company_unlabeled', label: null, inverse: 280, isDefault: true },
  { from: 'contacts', to: 'companies', typeId: 1, name: 'contact_to_company', label: 'Primary', inverse: 2, isDefault: false },
  { from: 'companies', to: 'contacts', typeId: 280, name: 'company_to_contact_unlabeled', label: null, inverse: 279, isDefault: true },
  { from: 'companies', to: 'contacts', typeId: 2, name: 'company_to_contact', label: 'Primary', inverse: 1, isDefault: false },
  { from: 'notes', to: 'contacts', typeId: 202, name: 'note_to_contact', label: null, inverse: 201, isDefault: true },
  { from: 'contacts', to: 'notes', typeId: 201, name: 'contact_to_note', label: null, inverse: 202, isDefault: true },
  { from: 'notes', to: 'companies', typeId: 190, name: 'note_to_company', label: null, inverse: 189, isDefault: true },
  { from: 'companies', to: 'notes', typeId: 189, name: 'company_to_note', label: null, inverse: 190, isDefault: true },
];

export function associationType(typeId: number): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.typeId === typeId);
}

export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}
