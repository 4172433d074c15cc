/** The inbound queue's job (payload carries ids only; the InboundEvent row is the truth). */
export const APPLY_INBOUND_EVENT = 'apply-inbound-event';

export interface ApplyInboundEventPayload {
  readonly inboundEventId: string;
}

export const APPLY_INBOUND_ATTEMPTS = 5;
