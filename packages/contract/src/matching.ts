import { z } from 'zod';
import { Page, paged } from './common.js';
import { ContactKind } from './contacts.js';
import { RemoteStatus } from './links.js';

/** A matching run: proposes links between local contacts and the connection's remote mirror. */
export const MatchingRunStatus = z.object({
  runId: z.string(),
  connectionId: z.string(),
  state: z.enum(['queued', 'running', 'completed', 'failed']),
  /** Local contacts linked automatically (exactly one candidate passed the rules). */
  autoLinked: z.number().int(),
  /** Local contacts sent to review with candidates. */
  suggested: z.number().int(),
  /** Local contacts considered that had no candidate at all. */
  unmatched: z.number().int(),
  error: z.string().nullable(),
});
export type MatchingRunStatus = z.infer<typeof MatchingRunStatus>;

export const SuggestionCandidate = z.object({
  remoteId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  status: RemoteStatus,
  /** 0..1 */
  score: z.number(),
  /** True when this candidate passes the matching rules on its own. */
  passes: z.boolean(),
  /** Human-readable reasons, e.g. "Same e-mail (jo@acme.com)". */
  reasons: z.array(z.string()),
});
export type SuggestionCandidate = z.infer<typeof SuggestionCandidate>;

export const MatchSuggestionView = z.object({
  id: z.string(),
  connectionId: z.string(),
  contact: z.object({
    id: z.string(),
    externalId: z.string(),
    kind: ContactKind,
    displayName: z.string(),
    companyName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  /** ambiguous (several pass), contested (the one that passes also fits another contact), uncertain (none passes). */
  cause: z.enum(['ambiguous', 'contested', 'uncertain']),
  explanation: z.string().nullable(),
  /** The best candidate's score. */
  score: z.number(),
  /** Best first. */
  candidates: z.array(SuggestionCandidate),
  createdAt: z.string(),
});
export type MatchSuggestionView = z.infer<typeof MatchSuggestionView>;

export const SuggestionListQuery = Page;
export type SuggestionListQuery = z.input<typeof SuggestionListQuery>;

export const SuggestionList = paged(MatchSuggestionView);
export type SuggestionList = z.infer<typeof SuggestionList>;

export const SuggestionDecision = z.object({
  suggestionId: z.string().min(1).max(64),
  action: z.enum(['accept', 'reject'], { message: "must be 'accept' or 'reject'" }),
  /** Which candidate to link when accepting; the best candidate when left out. */
  remoteId: z.string().min(1).max(64).optional(),
});
export type SuggestionDecision = z.infer<typeof SuggestionDecision>;

export const SuggestionDecisionsRequest = z.object({
  decisions: z.array(SuggestionDecision).min(1, 'give at least one decision').max(500, 'at most 500 decisions per request: send the rest in another request'),
});
export type SuggestionDecisionsRequest = z.infer<typeof SuggestionDecisionsRequest>;

export const SuggestionDecisionResult = z.object({
  suggestionId: z.string(),
  ok: z.boolean(),
  /** accepted | rejected when ok. */
  state: z.enum(['accepted', 'rejected']).nullable(),
  /** The remote id linked (accepted). */
  remoteId: z.string().nullable(),
  /** Why the decision was refused (e.g. the remote contact got linked to another contact meanwhile). */
  error: z.string().nullable(),
});
export type SuggestionDecisionResult = z.infer<typeof SuggestionDecisionResult>;

export const SuggestionDecisionsResponse = z.object({ results: z.array(SuggestionDecisionResult) });
export type SuggestionDecisionsResponse = z.infer<typeof SuggestionDecisionsResponse>;
