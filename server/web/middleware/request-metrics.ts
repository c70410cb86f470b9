import type { Middleware } from 'koa';
import { Histogram } from 'prom-client';
import type { Registry } from '../../shared/metrics/registry.js';

/**
 * HTTP request durations of the web module, by route pattern (`/deliveries/:id`, never the raw
 * path: a label value per recipient or per token would grow without end), method and status
 * class. A request no route took is counted under route "unmatched".
 */
export type HttpMetrics = Histogram<'route' | 'method' | 'status'>;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function registerHttpMetrics(registry: Registry): HttpMetrics {
  return new Histogram({
    name: 'herald_web_http_request_duration_seconds',
    help: 'Time from the request to the answer of the web module (console, public pages, API), by route pattern, method and status class.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

interface MatchedLayer {
  path: unknown;
  methods: readonly string[];
}

/**
 * The route label: the pattern of the last route (not middleware) the routers matched for this
 * path and method — also when a guard answered first (a login redirect) — else "unmatched".
 */
export function routeLabel(matched: readonly MatchedLayer[] | undefined, method: string): string {
  const layers = matched ?? [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    if (layer.methods.includes(method) && typeof layer.path === 'string' && layer.path.length > 0) return layer.path;
  }
  return 'unmatched';
}

export function requestMetrics(metrics: HttpMetrics): Middleware {
  return async (ctx, next) => {
    const end = metrics.startTimer();
    try {
      await next();
    } finally {
      const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
      end({ route: routeLabel((ctx as { matched?: MatchedLayer[] }).matched, ctx.method), method, status: `${Math.floor(ctx.status / 100)}xx` });
    }
  };
}
