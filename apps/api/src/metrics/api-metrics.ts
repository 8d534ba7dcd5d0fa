import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueStats } from '@atelier/jobs';

/**
 * The API's Prometheus registry. Request metrics are counted as requests finish; job and
 * queue gauges are read from Postgres and Bull at scrape time, so they hold across every
 * API instance and worker.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'atelier_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'atelier_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(stats: QueueStats) {
    collectDefaultMetrics({ register: this.registry, prefix: 'atelier_api_' });
    new Gauge({
      name: 'atelier_jobs',
      help: 'Jobs by type and status (rows in Postgres)',
      labelNames: ['type', 'status'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'type' | 'status'>) {
        this.reset();
        for (const row of await stats.jobsByTypeAndStatus()) this.set({ type: row.type, status: row.status }, row.count);
      },
    });
    new Gauge({
      name: 'atelier_queue_jobs',
      help: 'Bull jobs per queue (lane gpu, gpu-light or cpu) and state (waiting is the pending count)',
      labelNames: ['lane', 'state'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'lane' | 'state'>) {
        const counts = await stats.countsByQueue();
        for (const [lane, byState] of Object.entries(counts)) {
          for (const [state, count] of Object.entries(byState)) this.set({ lane, state }, Number(count));
        }
      },
    });
  }
}
