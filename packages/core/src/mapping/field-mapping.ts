/**
 * A connection's field mapping: which canonical Contact fields go to which remote fields, in
 * which direction, through which transform. Mappings are versioned; a version applies from its
 * `effectiveFrom` on and never to records that were pushed before it and have not changed since
 * (see planContactPush).
 */

/** out: hub → remote; in: remote → hub; both: either way (conflicts resolved per field). */
export type MappingDirection = 'out' | 'in' | 'both';

/**
 * The closed set of transforms, applied to the canonical value before it is sent:
 * - none: the value as is
 * - trim: leading and trailing white space removed, inner runs of white space collapsed to one space
 * - upper / lower: letter case changed (locale-independent)
 * - truncate: cut to `maxLength` UTF-16 units without splitting a character
 * - phone_e164: "+<country code><number>" (e.g. "+61212345678"); a number without a country code
 *   takes `defaultCallingCode` (e.g. "61", dropping one leading trunk "0"), else it is a problem
 */
export type FieldTransform =
  | { readonly kind: 'none' }
  | { readonly kind: 'trim' }
  | { readonly kind: 'upper' }
  | { readonly kind: 'lower' }
  | { readonly kind: 'truncate'; readonly maxLength: number }
  | { readonly kind: 'phone_e164'; readonly defaultCallingCode?: string };

export type TransformKind = FieldTransform['kind'];

/** What happens to a value longer than the remote field's maxLength. */
export type OverLengthPolicy = 'reject' | 'truncate';

export interface FieldRule {
  /**
   * Canonical Contact path: "displayName", "companyName", "emails[primary]", "phones[mobile]",
   * "addresses[billing].city", "addresses[billing].lines[0]", "customFields.<key>".
   */
  readonly source: string;
  /** Remote field id from the connector's catalog (FieldSpec.id), e.g. "PrimaryPhone.FreeFormNumber". */
  readonly target: string;
  readonly enabled: boolean;
  readonly direction: MappingDirection;
  readonly transform: FieldTransform;
  /** Default 'reject': a value that does not fit is a problem a person fixes, never silently cut. */
  readonly overLength?: OverLengthPolicy;
}

export interface FieldMapping {
  /** Increases by one with every saved change. */
  readonly version: number;
  /** ISO 8601 timestamp from which this version applies. */
  readonly effectiveFrom: string;
  readonly rules: readonly FieldRule[];
}

/** A problem with a mapping or with one record under a mapping; `field` names it, `fix` says what to do. */
export interface MappingProblem {
  /** The remote field id (or the canonical path when no target is involved). */
  readonly field: string;
  readonly code:
    | 'unknown_target'
    | 'unknown_source'
    | 'secure_target'
    | 'read_only_target'
    | 'required_target_off'
    | 'duplicate_target'
    | 'bad_transform'
    | 'bad_effective_from'
    | 'required_value_missing'
    | 'too_long'
    | 'transform_failed';
  readonly message: string;
  readonly fix: string;
}

/** The mapped payload: remote field id → value. Empty values are left out. */
export type MappedPayload = Readonly<Record<string, string>>;
