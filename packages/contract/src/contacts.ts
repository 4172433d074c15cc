import { z } from 'zod';
import { Page, paged } from './common.js';

export const ContactKind = z.enum(['customer', 'supplier']);

export const LinkState = z.enum(['linked', 'invalid', 'unlinked']);
export type LinkState = z.infer<typeof LinkState>;

export const ContactLinkView = z.object({
  connectionId: z.string(),
  connectorId: z.string(),
  remoteId: z.string(),
  remoteName: z.string().nullable(),
  state: LinkState,
  reason: z.string().nullable(),
  deepLink: z.string().nullable(),
  linkedAt: z.string(),
});
export type ContactLinkView = z.infer<typeof ContactLinkView>;

export const ContactView = z.object({
  id: z.string(),
  externalId: z.string(),
  kind: ContactKind,
  displayName: z.string(),
  companyName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  links: z.array(ContactLinkView),
});
export type ContactView = z.infer<typeof ContactView>;

export const ContactListQuery = Page.extend({
  kind: ContactKind.optional(),
  linked: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /**
   * Link state on `connectionId` (or on any connection without it): linked, unlinked (no link at
   * all, nor one in flight or invalid), invalid (the remote contact was merged, archived, deleted),
   * suggested (a match suggestion waits for review).
   */
  link: z.enum(['linked', 'unlinked', 'invalid', 'suggested']).optional(),
  connectionId: z.string().optional(),
  q: z.string().max(200).optional(),
});
export type ContactListQuery = z.input<typeof ContactListQuery>;

export const ContactList = paged(ContactView);
export type ContactList = z.infer<typeof ContactList>;

/** Body of PUT /api/v1/contacts/:externalId (the host app's own id in the path). */
export const UpsertContactRequest = z.object({
  kind: ContactKind,
  displayName: z.string().trim().min(1).max(500),
  givenName: z.string().max(100).optional(),
  familyName: z.string().max(100).optional(),
  companyName: z.string().max(255).optional(),
  email: z.email().max(320).optional(),
  phone: z.string().max(40).optional(),
  notes: z.string().max(4000).optional(),
});
export type UpsertContactRequest = z.infer<typeof UpsertContactRequest>;

export const UploadRequest = z.object({
  contactIds: z.array(z.string().min(1).max(64)).min(1, 'choose at least one contact to upload').max(1000),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

export const UploadItemResult = z.object({
  contactId: z.string(),
  ok: z.boolean(),
  remoteId: z.string().optional(),
  created: z.boolean().optional(),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
});

export const UploadStatus = z.object({
  uploadId: z.string(),
  connectionId: z.string(),
  state: z.enum(['queued', 'running', 'completed', 'failed']),
  total: z.number().int(),
  results: z.array(UploadItemResult),
});
export type UploadStatus = z.infer<typeof UploadStatus>;
