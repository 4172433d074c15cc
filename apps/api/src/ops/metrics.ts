import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Queue } from 'bull';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '../generated/prisma/client.js';

/** What the metrics read at scrape time. */
export interface MetricsSources {
  readonly prisma: () => PrismaClient;
  readonly queues: () => ReadonlyArray<{ readonly name: string; readonly queue: Queue }>;
}

type Request = IncomingMessage & { route?: { path?: string }; baseUrl?: string; originalUrl?: string };

/**
 * Prometheus metrics for one app: HTTP requests by route template and status, job queue depth,
 * transaction sync items and webhook deliveries by state (counts over all workspaces, never a
 * workspace's data), and Node's process metrics. One registry per app, so several apps in a
 * process (tests) never collide.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route'>;

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledgerlink_' });
    this.requests = new Counter({ name: 'ledgerlink_http_requests_total', help: 'HTTP requests by method, route template and status.', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.durations = new Histogram({
      name: 'ledgerlink_http_request_duration_seconds', help: 'HTTP request duration by method and route template.', labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
    });
    new Gauge({
      name: 'ledgerlink_queue_jobs', help: 'Jobs per queue and state (waiting, active, delayed, failed).', labelNames: ['queue', 'state'], registers: [this.registry],
      async collect() {
        for (const { name, queue } of sources.queues()) {
          const counts = await queue.getJobCounts().catch(() => null);
          if (!counts) continue;
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue: name, state }, counts[state]);
        }
      },
    });
    new Gauge({
      name: 'ledgerlink_transaction_syncs', help: 'Transaction sync items per state, all workspaces.', labelNames: ['state'], registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await sources.prisma().transactionSync.groupBy({ by: ['state'], _count: { _all: true } });
        for (const row of rows) this.set({ state: row.state }, row._count._all);
      },
    });
    new Gauge({
      name: 'ledgerlink_webhook_deliveries', help: 'Outbound webhook deliveries per state, all workspaces.', labelNames: ['state'], registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await sources.prisma().webhookDelivery.groupBy({ by: ['state'], _count: { _all: true } });
        for (const row of rows) this.set({ state: row.state }, row._count._all);
      },
    });
  }

  /** Express middleware timing every request; the label is the route template, never the path (ids stay out). */
  readonly observe = (request: Request, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const template = request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched';
      const method = request.method ?? 'GET';
      this.requests.inc({ method, route: template, status: String(response.statusCode) });
      this.durations.observe({ method, route: template }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  /**
   * `GET /metrics`: with LEDGERLINK_METRICS_TOKEN set, only `Authorization: Bearer <token>`;
   * without it, only from the same machine (loopback), so it is never open to the world by accident.
   */
  handler(token: string | null) {
    return (request: Request, response: ServerResponse): void => {
      const refuse = (status: number, message: string) => {
        response.statusCode = status;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message } }));
      };
      if (request.method !== 'GET') return refuse(403, 'Metrics are read with GET.');
      if (token) {
        const given = Buffer.from((request.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
        const wanted = Buffer.from(token);
        if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return refuse(401, 'Send Authorization: Bearer <LEDGERLINK_METRICS_TOKEN> to read the metrics.');
      } else {
        const address = request.socket.remoteAddress ?? '';
        if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address)) {
          return refuse(403, 'Metrics are served to loopback only: set LEDGERLINK_METRICS_TOKEN to scrape them from another machine.');
        }
      }
      this.registry
        .metrics()
        .then((text) => {
          response.statusCode = 200;
          response.setHeader('content-type', this.registry.contentType);
          response.end(text);
        })
        .catch((error: unknown) => refuse(403, `Metrics could not be collected: ${(error as Error).message}`));
    };
  }
}
