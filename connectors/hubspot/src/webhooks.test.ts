import { describe, expect, it } from 'vitest';
import { parseEvents, signatureV3, verifyV3 } from './webhooks.js';

const secret = 'app-secret';
const clock = { now: () => new Date(1_800_000_000_000) };

describe('HubSpot v3 signatures', () => {
  it('signs the URL with the characters HubSpot decodes decoded, and refuses timestamps from too far in the future', () => {
    const rawBody = '[]';
    const timestamp = String(clock.now().getTime());
    const signedUrl = 'https://hooks.example/hubspot?state=a:b';
    const headers = { 'x-hubspot-signature-v3': signatureV3(secret, 'POST', signedUrl, rawBody, timestamp), 'x-hubspot-request-timestamp': timestamp };
    expect(verifyV3({ headers, rawBody, url: 'https://hooks.example/hubspot?state=a%3Ab' }, secret, clock, 300)).toEqual({ ok: true });
    const future = String(clock.now().getTime() + 301_000);
    const ahead = { 'x-hubspot-signature-v3': signatureV3(secret, 'POST', signedUrl, rawBody, future), 'x-hubspot-request-timestamp': future };
    expect(verifyV3({ headers: ahead, rawBody, url: signedUrl }, secret, clock, 300).ok).toBe(false);
    expect(verifyV3({ headers: { ...headers, 'x-hubspot-signature-v3': 'short' }, rawBody, url: signedUrl }, secret, clock, 300).ok).toBe(false);
  });

  it('maps HubSpot events to change events; a merge of several names each merged-away contact', () => {
    const events = parseEvents(
      JSON.stringify([
        { subscriptionType: 'contact.merge', objectId: 5, primaryObjectId: 5, mergedObjectIds: [5, 6, 7], occurredAt: 1_700_000_000_000, portalId: 9 },
        { subscriptionType: 'contact.privacyDeletion', objectId: 8, occurredAt: '1700000000001' },
        { subscriptionType: 'deal.creation', objectId: 1, occurredAt: 1_700_000_000_000 },
      ]),
    );
    expect(events.map((e) => [e.id, e.operation, e.survivorId, e.tenantId])).toEqual([
      ['6', 'merge', '5', '9'],
      ['7', 'merge', '5', '9'],
      ['8', 'delete', undefined, undefined],
    ]);
    expect(events[2]?.occurredAt).toBe('2023-11-14T22:13:20.001Z');
  });
});
