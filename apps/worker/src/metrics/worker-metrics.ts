import { createServer, type Server } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ModelCache, RemoteEngines, type ModelCacheStatus } from '@atelier/inference';
import { AppConfig } from '@atelier/platform';
import { WorkerHealth } from '../health/worker-health';

/**
 * The worker's own HTTP port (`WORKER_METRICS_PORT`, 0 = off): Prometheus `/metrics` (outcomes,
 * queue wait, compute time, model cache) and the liveness probe `/health/live`.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetrics.name);
  private readonly registry = new Registry();
  private server?: Server;

  readonly jobs = new Counter({
    name: 'atelier_worker_jobs_total',
    help: 'Jobs finished by this worker, by type, outcome and failure code',
    labelNames: ['type', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly queueWait = new Histogram({
    name: 'atelier_worker_queue_wait_seconds',
    help: 'Time from acceptance to start, by lane',
    labelNames: ['lane'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly compute = new Histogram({
    name: 'atelier_worker_compute_seconds',
    help: 'Handler run time by job type',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 120],
    registers: [this.registry],
  });

  readonly upstreamTries = new Counter({
    name: 'atelier_worker_upstream_tries_total',
    help: "Tries of remote models' jobs per upstream host, by outcome (success, 5xx, network, timeout, 4xx, failed, aborted, ejected)",
    labelNames: ['model', 'host', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'atelier_worker_upstream_retries_total',
    help: 'Retries after a failed try, by the host that failed',
    labelNames: ['model', 'host'] as const,
    registers: [this.registry],
  });

  readonly upstreamEjections = new Counter({
    name: 'atelier_worker_upstream_ejections_total',
    help: 'Upstream hosts ejected (outlier detection), by host',
    labelNames: ['model', 'host'] as const,
    registers: [this.registry],
  });

  readonly upstreamLatency = new Histogram({
    name: 'atelier_worker_upstream_latency_seconds',
    help: 'Duration of one try against an upstream host (submit to downloaded images), by host and outcome',
    labelNames: ['model', 'host', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  constructor(
    private readonly config: AppConfig,
    cache: ModelCache,
    private readonly health: WorkerHealth,
    remote: RemoteEngines,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'atelier_worker_' });
    this.modelCacheMetrics(cache);
    remote.observeWith({
      onTry: (model, host, outcome, seconds) => {
        this.upstreamTries.inc({ model, host, outcome });
        this.upstreamLatency.observe({ model, host, outcome }, seconds);
      },
      onRetry: (model, host) => this.upstreamRetries.inc({ model, host }),
      onEjection: (model, host) => this.upstreamEjections.inc({ model, host }),
    });
  }

  /** Read from the cache at scrape time: hits, misses, loads, failures and evictions, load time, tier. */
  private modelCacheMetrics(cache: ModelCache): void {
    const events = ['hits', 'misses', 'loads', 'failures', 'evictions'] as const;
    new Counter({
      name: 'atelier_worker_model_cache_events_total',
      help: 'Model cache events by model: hits, misses, loads, failures (failed loads) and evictions (hot → warm)',
      labelNames: ['model', 'event'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of cache.counters()) for (const event of events) this.inc({ model: c.modelId, event }, c[event]);
      },
    });
    const perModel = (name: string, help: string, value: (status: ModelCacheStatus) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['model'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const { modelId } of cache.counters()) {
            const status = cache.status(modelId);
            const v = status && value(status);
            if (v !== undefined) this.set({ model: modelId }, v);
          }
        },
      });
    perModel('atelier_worker_model_load_milliseconds', 'How long the last load of each model took', (s) => s.loadMs);
    perModel('atelier_worker_model_tier', "Each model's tier on this worker: 2 hot, 1 warm, 0 cold", (s) => ({ hot: 2, warm: 1, cold: 0 })[s.state]);
  }

  onApplicationBootstrap(): void {
    const port = this.config.workerMetricsPort;
    if (!port) return;
    this.server = createServer((req, res) => {
      if (req.url === '/health/live') {
        // Kubernetes' liveness probe: 503 once the worker left rotation, so it is restarted.
        res.statusCode = this.health.healthy ? 200 : 503;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(this.health.healthy ? { status: 'ok' } : { status: 'unhealthy', reason: this.health.reason }));
        return;
      }
      if (req.url !== '/metrics') {
        res.statusCode = 404;
        res.end();
        return;
      }
      void this.registry.metrics().then((text) => {
        res.setHeader('Content-Type', this.registry.contentType);
        res.end(text);
      });
    });
    // A taken port must not stop the worker: metrics are an aid, not its job.
    this.server.on('error', (error) => this.logger.warn(`metrics port ${port} unavailable: ${error.message}`));
    this.server.listen(port, () => this.logger.log(`metrics on :${port}/metrics`));
  }

  onApplicationShutdown(): void {
    this.server?.close();
  }
}
