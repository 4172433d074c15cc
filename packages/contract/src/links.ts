import { z } from 'zod';
import { ContactKind, ContactView } from './contacts.js';

export const RemoteStatus = z.enum(['active', 'inactive', 'archived', 'merged', 'deleted']);
export type RemoteStatus = z.infer<typeof RemoteStatus>;

/** A remote contact a local one could be linked to. */
export const LinkCandidate = z.object({
  remoteId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  status: RemoteStatus,
  /** The local contact this remote one is already linked to on this connection, if any. */
  linkedTo: z.object({ contactId: z.string(), displayName: z.string() }).nullable(),
});
export type LinkCandidate = z.infer<typeof LinkCandidate>;

export const CandidateQuery = z.object({ q: z.string().trim().max(200).optional() });
export type CandidateQuery = z.input<typeof CandidateQuery>;

export const CandidateList = z.object({
  /** `mirror`: from the local copy of the remote contacts; `live`: asked the provider (the mirror had none). */
  source: z.enum(['mirror', 'live']),
  items: z.array(LinkCandidate),
});
export type CandidateList = z.infer<typeof CandidateList>;

export const CreateLinkRequest = z.object({
  contactId: z.string().min(1).max(64),
  remoteId: z.string().min(1).max(64),
});
export type CreateLinkRequest = z.infer<typeof CreateLinkRequest>;

export const UnlinkQuery = z.object({ reason: z.string().trim().max(500).optional() });
export type UnlinkQuery = z.input<typeof UnlinkQuery>;

/** One change of a link: who (user, system or host app), when and why. */
export const LinkEventView = z.object({
  id: z.string(),
  type: z.string(),
  fromRemoteId: z.string().nullable(),
  toRemoteId: z.string().nullable(),
  actorType: z.enum(['user', 'system', 'host']),
  actorId: z.string().nullable(),
  /** The user's name or the API key's name, when known. */
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type LinkEventView = z.infer<typeof LinkEventView>;

export const ContactLinkDetail = z.object({
  connectionId: z.string(),
  connectorId: z.string(),
  remoteId: z.string().nullable(),
  remoteName: z.string().nullable(),
  state: z.enum(['pending', 'linked', 'invalid', 'unlinked']),
  reason: z.string().nullable(),
  linkedBy: z.string(),
  deepLink: z.string().nullable(),
  updatedAt: z.string(),
  /** The linked record as last read from the provider (the mirror): what the accounting system holds. */
  remote: z
    .object({ paymentTerms: z.string().nullable(), currency: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), status: z.string() })
    .nullable()
    .optional(),
  events: z.array(LinkEventView),
});
export type ContactLinkDetail = z.infer<typeof ContactLinkDetail>;

/** GET /api/v1/contacts/:id: the contact's fields and each link with its history. */
export const ContactDetail = ContactView.omit({ links: true }).extend({
  kind: ContactKind,
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  links: z.array(ContactLinkDetail),
});
export type ContactDetail = z.infer<typeof ContactDetail>;

export const PullStatus = z.object({
  pullId: z.string(),
  connectionId: z.string(),
  state: z.enum(['queued', 'running', 'completed', 'failed']),
  /** Remote contacts read into the mirror in this run. */
  fetched: z.number().int(),
  /** Links re-pointed or invalidated because their remote contact was merged, made inactive, archived or deleted. */
  linksChanged: z.number().int(),
  error: z.string().nullable(),
});
export type PullStatus = z.infer<typeof PullStatus>;
