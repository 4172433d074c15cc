import type { ConnectorContext } from '../context.js';
import { Capabilities, type ConnectorDefinition, type FieldSpec, type ResolvedCapabilities } from '../define-connector.js';
import type { Contact, ContactKind, TransactionInput, TransactionType } from '../models.js';
import type { ChangeOperation, ConnectorSession } from '../session.js';

/** A session the kit runs its checks on, opened by the connector's own test. */
export interface ConformanceConnection<Config> {
  readonly ctx: ConnectorContext<Config>;
  readonly session: ConnectorSession;
  close?(): Promise<void>;
}

/**
 * Hooks into the environment (a sandbox, a fake server, recorded fixtures) that let the kit make
 * the remote side do things a connector cannot: each is optional; a check whose hook is missing
 * is not registered and is listed in the plan's `uncovered`.
 */
export interface ConformanceHooks<Config> {
  /** OAuth driver: plays the person on the consent page of `authorizeUrl` and returns the URL the provider redirects back to. */
  readonly oauth?: {
    readonly config: Config;
    readonly redirectUri: string;
    consent(authorizeUrl: string): Promise<string>;
  };
  /** Makes a remote contact inactive, as a person in the provider's app would. */
  makeInactive?(input: { readonly kind: ContactKind; readonly id: string }): Promise<void>;
  /** Archives a remote contact. */
  archive?(input: { readonly kind: ContactKind; readonly id: string }): Promise<void>;
  /** Merges `loserId` into `survivorId`, as a person in the provider's app would. */
  merge?(input: { readonly kind: ContactKind; readonly loserId: string; readonly survivorId: string }): Promise<void>;
  /** Makes the provider refuse the next API request with its rate-limit answer. */
  injectRateLimit?(): Promise<void>;
  /** A webhook request body announcing a change, in the provider's format, and the URL it is sent to. */
  webhookBody?(input: { readonly kind: ContactKind; readonly id: string; readonly operation: ChangeOperation; readonly survivorId?: string }): { readonly rawBody: string; readonly url: string };
  /** The headers the provider would sign `rawBody` with (lower-case names). */
  signWebhook?(input: { readonly rawBody: string; readonly url: string }): Readonly<Record<string, string>>;
}

export interface ConformanceFixtures {
  /** The contact kind the checks use (default: the first of capabilities.contactKinds). */
  readonly kind?: ContactKind;
  /** An id the provider certainly does not have (for the not_found check). */
  readonly unknownContactId?: string;
  /** A contact the provider refuses (default: a display name one character over the catalog's maxLength). */
  readonly invalidContact?: Contact;
  /**
   * The transaction the transactions check pushes for a contact (default: one line of 2 × 12.50
   * USD, total 2500 minor units, issued today). Supply one when the provider needs item or
   * account references.
   */
  /**
   * How the provider's webhooks announce a merge: `merge` naming the survivor (the default, e.g.
   * QuickBooks Online), or `update` of the merged-away record only (e.g. Xero), after which the host
   * re-reads the record and learns the survivor from the read. The webhooks check asserts the one given.
   */
  readonly webhookMerge?: 'merge' | 'update';
  transaction?(input: { readonly type: TransactionType; readonly contactId: string; readonly reference: string }): TransactionInput;
}

export interface ConformanceSetup<Config> {
  readonly connector: ConnectorDefinition<Config>;
  /** Opens the session the checks share (called once, before them). */
  connect(): Promise<ConformanceConnection<Config>>;
  readonly hooks?: ConformanceHooks<Config>;
  readonly fixtures?: ConformanceFixtures;
  /** `semver.satisfies`; default: the kit's own (^, ~, comparators, x-ranges, ||). */
  readonly satisfies?: (version: string, range: string) => boolean;
  /** Per-check time-out (default 30 s). */
  readonly timeoutMs?: number;
}

export type CheckId =
  | 'manifest'
  | 'auth.oauth2'
  | 'tenants.list'
  | 'contacts.search'
  | 'contacts.get'
  | 'contacts.upsert'
  | 'contacts.duplicate'
  | 'contacts.batch'
  | 'contacts.inactive'
  | 'contacts.archived'
  | 'contacts.merged'
  | 'contacts.list'
  | 'errors.rate-limit'
  | 'transactions'
  | 'webhooks';

export interface PlannedCheck {
  readonly id: CheckId;
  /** Why it applies (the capability it checks). */
  readonly because: string;
}

export interface UncoveredCheck {
  readonly id: CheckId;
  /** What the test must supply for the kit to run it. */
  readonly missing: string;
}

export interface ConformancePlan {
  readonly connectorId: string;
  readonly capabilities: ResolvedCapabilities;
  readonly kind: ContactKind;
  /** Checks the kit registers, in order. */
  readonly checks: readonly PlannedCheck[];
  /** Checks the manifest calls for that the setup gives no way to run. */
  readonly uncovered: readonly UncoveredCheck[];
}

/** The display-name field of a kind's catalog (the one mapped from canonical `displayName`). */
export function displayNameField(fields: readonly FieldSpec[] | undefined): FieldSpec | undefined {
  return fields?.find((f) => f.canonical === 'displayName');
}

/**
 * Decides which checks apply to a connector: from its manifest (a capability declared absent
 * registers nothing) and from the hooks and fixtures the setup supplies.
 */
export function planConformance<Config>(setup: Pick<ConformanceSetup<Config>, 'connector' | 'hooks' | 'fixtures'>): ConformancePlan {
  const parsed = Capabilities.safeParse(setup.connector.capabilities);
  const capabilities: ResolvedCapabilities = parsed.success
    ? parsed.data
    : { contactKinds: ['customer'], transactionTypes: [], search: false, read: false, write: false, inboundWebhooks: false, changeFeed: false, bidirectional: false, remoteStatuses: [], uniqueDisplayNames: false };
  const kind = setup.fixtures?.kind ?? capabilities.contactKinds[0] ?? 'customer';
  const hooks = setup.hooks ?? {};
  const checks: PlannedCheck[] = [];
  const uncovered: UncoveredCheck[] = [];
  const add = (id: CheckId, because: string, missing?: string) => {
    if (missing) uncovered.push({ id, missing });
    else checks.push({ id, because });
  };

  add('manifest', 'every connector');
  if (setup.connector.auth?.type === 'oauth2') add('auth.oauth2', 'auth.type is oauth2', hooks.oauth ? undefined : 'hooks.oauth (config, redirectUri, consent)');
  add('tenants.list', 'every connector');
  if (capabilities.search) add('contacts.search', 'capabilities.search', capabilities.write ? undefined : 'capabilities.write (the check creates the contacts it searches for)');
  if (capabilities.read) add('contacts.get', 'capabilities.read', setup.fixtures?.unknownContactId ? undefined : 'fixtures.unknownContactId');
  if (capabilities.write) {
    add('contacts.upsert', 'capabilities.write');
    if (capabilities.uniqueDisplayNames) add('contacts.duplicate', 'capabilities.uniqueDisplayNames');
    const derivable = displayNameField(setup.connector.fields?.[kind])?.maxLength !== undefined;
    add('contacts.batch', 'capabilities.write', setup.fixtures?.invalidContact || derivable ? undefined : `fixtures.invalidContact (the ${kind} field catalog has no displayName field with a maxLength to exceed)`);
  }
  const statusCheck = (status: 'inactive' | 'archived' | 'merged', hook: keyof ConformanceHooks<Config>) => {
    if (!capabilities.remoteStatuses.includes(status)) return;
    const missing = [!capabilities.write ? 'capabilities.write' : undefined, !capabilities.read ? 'capabilities.read' : undefined, hooks[hook] ? undefined : `hooks.${hook}`].filter(Boolean).join(', ');
    add(`contacts.${status}`, `capabilities.remoteStatuses includes ${status}`, missing || undefined);
  };
  statusCheck('inactive', 'makeInactive');
  statusCheck('archived', 'archive');
  statusCheck('merged', 'merge');
  if (capabilities.read) add('contacts.list', 'capabilities.read', capabilities.write ? undefined : 'capabilities.write (the check changes contacts between reads)');
  if (capabilities.read || capabilities.search || capabilities.write) add('errors.rate-limit', 'every connector that calls its provider', hooks.injectRateLimit ? undefined : 'hooks.injectRateLimit');
  if (capabilities.transactionTypes.length > 0) {
    add('transactions', `capabilities.transactionTypes lists ${capabilities.transactionTypes.join(', ')}`, capabilities.write ? undefined : 'capabilities.write (the check creates the contact the transactions belong to)');
  }
  if (capabilities.inboundWebhooks) {
    const missing = [hooks.webhookBody ? undefined : 'hooks.webhookBody', hooks.signWebhook ? undefined : 'hooks.signWebhook'].filter(Boolean).join(', ');
    add('webhooks', 'capabilities.inboundWebhooks', missing || undefined);
  }
  return { connectorId: setup.connector.id, capabilities, kind, checks, uncovered };
}
