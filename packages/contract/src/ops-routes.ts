import { z } from 'zod';
import type { RouteDef } from './route-def.js';
import { CreatedWebhookEndpoint, CreateWebhookEndpointRequest, EventsPage, EventsQuery, WebhookDeliveryView, WebhookEndpointView } from './events.js';

const EndpointParams = z.object({ id: z.string() });

/** Outbound events for the host app (webhook endpoints, the events feed). Spread into `routes` (routes.ts). */
export const opsRoutes = {
  listEvents: {
    method: 'GET', path: '/api/v1/events', summary: "The workspace's hub events in order (link changes, sync runs, failures): poll with after=<next>.",
    auth: 'session', query: EventsQuery, response: EventsPage,
  },
  createWebhookEndpoint: {
    method: 'POST', path: '/api/v1/webhook-endpoints', summary: 'Send hub events to a URL of the host app, signed (owner/admin); the secret is in this answer only.',
    auth: 'session', body: CreateWebhookEndpointRequest, response: CreatedWebhookEndpoint, status: 201,
  },
  listWebhookEndpoints: {
    method: 'GET', path: '/api/v1/webhook-endpoints', summary: "The workspace's webhook endpoints (owner/admin).", auth: 'session', response: z.array(WebhookEndpointView),
  },
  deleteWebhookEndpoint: {
    method: 'DELETE', path: '/api/v1/webhook-endpoints/:id', summary: 'Stop sending to an endpoint (owner/admin); deliveries in flight are dropped.',
    auth: 'session', params: EndpointParams, response: WebhookEndpointView,
  },
  listWebhookDeliveries: {
    method: 'GET', path: '/api/v1/webhook-endpoints/:id/deliveries', summary: "An endpoint's latest 100 deliveries with their state, attempts and last error (owner/admin).",
    auth: 'session', params: EndpointParams, response: z.array(WebhookDeliveryView),
  },
} as const satisfies Record<string, RouteDef>;
