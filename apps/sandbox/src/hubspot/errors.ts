import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../json.js';

/** HubSpot's error categories the sandbox answers with. */
export type HubspotCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'MISSING_SCOPES'
  | 'RATE_LIMITS';

/** One rejected property, as inside HubSpot's "Property values were not valid" message. */
export interface PropertyProblem {
  readonly isValid: false;
  readonly message: string;
  readonly error: string;
  readonly name: string;
}

/** A HubSpot API error: `{status: "error", message, correlationId, category, context?}`. */
export class HubspotError extends Error {
  constructor(
    readonly status: number,
    readonly category: HubspotCategory,
    message: string,
    readonly context?: JsonObject,
  ) {
    super(message);
  }

  toBody(): JsonObject {
    return {
      status: 'error',
      message: this.message,
      correlationId: correlationId(),
      ...(this.context === undefined ? {} : { context: this.context }),
      category: this.category,
    };
  }
}

export function correlationId(): string {
  return randomUUID();
}

export const HubspotErrors = {
  validation: (message: string, context?: JsonObject): HubspotError => new HubspotError(400, 'VALIDATION_ERROR', message, context),
  invalidProperties: (problems: readonly PropertyProblem[]): HubspotError =>
    new HubspotError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`),
  notFound: (id: string): HubspotError =>
    new HubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { id: [id] }),
  /** HubSpot's wording for a second contact with an e-mail another contact holds. */
  contactExists: (existingId: string): HubspotError => new HubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`),
  missingCredentials: (): HubspotError =>
    new HubspotError(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  invalidToken: (): HubspotError =>
    new HubspotError(
      401,
      'INVALID_AUTHENTICATION',
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    ),
  expiredToken: (minutesAgo: number): HubspotError =>
    new HubspotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutesAgo} minute(s) ago.`),
} as const;
