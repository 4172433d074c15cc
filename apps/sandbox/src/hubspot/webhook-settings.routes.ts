import { type SandboxRequest, type SandboxResponse, json, parseJson } from '../http.js';
import { isJsonObject } from '../json.js';
import type { Router } from '../router.js';
import type { SandboxState } from '../sandbox-state.js';
import { HubspotError, HubspotErrors } from './errors.js';
import { SANDBOX_HUBSPOT_APP, SANDBOX_HUBSPOT_DEVELOPER_API_KEY } from './oauth.js';
import { type AppSubscription, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhooks.js';

/** HubSpot requires at least 5 concurrent requests in the throttling settings. */
const MIN_CONCURRENT = 5;

function render(subscription: AppSubscription): Record<string, unknown> {
  return {
    id: String(subscription.id),
    eventType: subscription.eventType,
    ...(subscription.propertyName === undefined ? {} : { propertyName: subscription.propertyName }),
    active: subscription.active,
    createdAt: new Date(subscription.createdMs).toISOString(),
    updatedAt: new Date(subscription.updatedMs).toISOString(),
  };
}

function bodyOf(request: SandboxRequest): Record<string, unknown> {
  const parsed = request.body.trim() === '' ? {} : parseJson(request.body);
  if (!isJsonObject(parsed)) throw HubspotErrors.validation('Invalid input JSON: the body must be a JSON object. Send Content-Type: application/json.');
  return parsed;
}

/**
 * HubSpot's Webhooks API v3 (`/webhooks/v3/{appId}/settings` and `/subscriptions`), authenticated
 * with the developer API key (`?hapikey=`). These settings belong to the app and apply to every
 * portal that has no webhook settings of its own from the control API.
 */
export function registerHubspotWebhookSettingsRoutes(router: Router, state: SandboxState): void {
  const dispatcher = state.hubspot.webhooks;
  const developer =
    (handler: (request: SandboxRequest) => SandboxResponse) =>
    (request: SandboxRequest): SandboxResponse => {
      try {
        const key = request.url.searchParams.get('hapikey');
        if (key === null || key === '') {
          throw new HubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports developer API key (hapikey) authentication only: add ?hapikey=<your developer API key>.');
        }
        if (key !== SANDBOX_HUBSPOT_DEVELOPER_API_KEY) throw new HubspotError(401, 'INVALID_AUTHENTICATION', 'The developer API key provided is invalid.');
        if (request.params.appId !== String(SANDBOX_HUBSPOT_APP.appId)) {
          throw new HubspotError(404, 'OBJECT_NOT_FOUND', `App ${request.params.appId ?? ''} does not belong to this developer account; the sandbox's app is ${SANDBOX_HUBSPOT_APP.appId}.`);
        }
        return handler(request);
      } catch (error) {
        if (error instanceof HubspotError) return json(error.status, error.toBody());
        throw error;
      }
    };
  const subscriptionId = (request: SandboxRequest): number => {
    const id = Number(request.params.subscriptionId ?? '');
    if (!Number.isInteger(id)) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `No subscription ${request.params.subscriptionId ?? ''}`);
    return id;
  };
  const settingsPath = '/hubspot/webhooks/v3/:appId/settings';
  const subscriptionsPath = '/hubspot/webhooks/v3/:appId/subscriptions';

  router.on(
    'GET',
    settingsPath,
    developer(() => {
      const app = dispatcher.appSettings();
      if (app === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', 'This app has no webhook settings yet; PUT a targetUrl first.');
      return json(200, { targetUrl: app.targetUrl, throttling: { maxConcurrentRequests: app.maxConcurrentRequests }, createdAt: new Date(app.createdMs).toISOString(), updatedAt: new Date(app.updatedMs).toISOString() });
    }),
  );

  router.on(
    'PUT',
    settingsPath,
    developer((request) => {
      const input = bodyOf(request);
      const targetUrl = input.targetUrl;
      let valid = false;
      if (typeof targetUrl === 'string') {
        try {
          valid = ['http:', 'https:'].includes(new URL(targetUrl).protocol);
        } catch {
          valid = false;
        }
      }
      if (!valid || typeof targetUrl !== 'string') throw HubspotErrors.validation('targetUrl is required: the absolute URL HubSpot POSTs events to (https in production; the sandbox also takes http)');
      const throttling = isJsonObject(input.throttling) ? input.throttling : {};
      const max = Number(throttling.maxConcurrentRequests ?? 10);
      if (!Number.isInteger(max) || max < MIN_CONCURRENT) throw HubspotErrors.validation(`throttling.maxConcurrentRequests must be a whole number of at least ${MIN_CONCURRENT}; got ${JSON.stringify(throttling.maxConcurrentRequests)}`);
      dispatcher.configureApp({ targetUrl, maxConcurrentRequests: max });
      const app = dispatcher.appSettings();
      return json(200, { targetUrl, throttling: { maxConcurrentRequests: max }, createdAt: new Date(app?.createdMs ?? 0).toISOString(), updatedAt: new Date(app?.updatedMs ?? 0).toISOString() });
    }),
  );

  router.on(
    'DELETE',
    settingsPath,
    developer(() => {
      dispatcher.removeApp();
      return { status: 204 };
    }),
  );

  router.on('GET', subscriptionsPath, developer(() => json(200, { results: dispatcher.subscriptionsOfApp().map(render) })));

  router.on(
    'POST',
    subscriptionsPath,
    developer((request) => {
      const input = bodyOf(request);
      const eventType = input.eventType;
      if (typeof eventType !== 'string' || !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(eventType)) {
        throw HubspotErrors.validation(`eventType must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}; got ${JSON.stringify(eventType)}`);
      }
      const propertyName = typeof input.propertyName === 'string' && input.propertyName !== '' ? input.propertyName : undefined;
      if (eventType.endsWith('.propertyChange') && propertyName === undefined) throw HubspotErrors.validation(`propertyName is required for ${eventType} subscriptions (e.g. "email")`);
      if (input.active !== undefined && typeof input.active !== 'boolean') throw HubspotErrors.validation('active must be true or false');
      return json(201, render(dispatcher.subscribeApp({ eventType: eventType as WebhookEventType, propertyName, active: input.active !== false })));
    }),
  );

  router.on(
    'GET',
    `${subscriptionsPath}/:subscriptionId`,
    developer((request) => {
      const found = dispatcher.subscriptionsOfApp().find((s) => s.id === subscriptionId(request));
      if (found === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `No subscription ${request.params.subscriptionId ?? ''}`);
      return json(200, render(found));
    }),
  );

  router.on(
    'PATCH',
    `${subscriptionsPath}/:subscriptionId`,
    developer((request) => {
      const input = bodyOf(request);
      if (typeof input.active !== 'boolean') throw HubspotErrors.validation('active is required: true to send this subscription\'s events, false to pause it');
      const updated = dispatcher.updateAppSubscription(subscriptionId(request), input.active);
      if (updated === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `No subscription ${request.params.subscriptionId ?? ''}`);
      return json(200, render(updated));
    }),
  );

  router.on(
    'DELETE',
    `${subscriptionsPath}/:subscriptionId`,
    developer((request) => {
      if (!dispatcher.unsubscribeApp(subscriptionId(request))) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `No subscription ${request.params.subscriptionId ?? ''}`);
      return { status: 204 };
    }),
  );
}
