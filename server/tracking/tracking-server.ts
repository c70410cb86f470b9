import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildHostTable, resolveHost, type HostTable } from '../shared/config/host-table.js';
import { hostClaims, type InstanceSet } from '../shared/config/instance-set.js';
import { instancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { listenHttp } from '../shared/http-server.js';
import type { Logger } from '../shared/logger.js';
import type { ReloadResult } from '../shared/run-process.js';
import { isAuthorized } from '../shared/tracking-protocol/api-key.js';
import { hitIds } from '../shared/tracking-protocol/hit.js';
import type { Registry } from '../shared/metrics/registry.js';
import { trackingTokenTag } from '../shared/tokens.js';
import { VERSION } from '../shared/version.js';
import { registerTrackingMetrics } from './metrics.js';
import { answerClientError, sendJson, sendNotFound } from './responses.js';
import { openTrackingSite, type TrackingSite } from './tracking-site.js';

/**
 * The tracking process: one HTTP listener for every instance of the appliance (Adobe's
 * multi-instance redirection module). Each instance is a site of its own (URL store and hit log in
 * its data folder, its keys, its API key, see tracking-site.ts); a click or open goes to the
 * instance its token's signed tag names (a token without a tag, sent before tags: the instance of
 * the request's tracking host, else the default one), an API call to the instance whose API key it
 * carries. An unknown tag, or a tag with a MAC of another instance's key, is a plain 404. Its whole
 * state is the keys, the pushed definitions and the hit logs, so any number of them can run behind
 * a load balancer.
 */
export interface TrackingServer {
  readonly port: number;
  status(): Record<string, unknown>;
  /** Applies new settings and keys to the next requests, connections kept (a reload); returns the keys applied. */
  reload(config: HeraldConfig): ReloadResult | Promise<ReloadResult>;
  stop(): Promise<void>;
}

/** Config keys a running tracking server applies on reload; host, port and folders at its next start. */
export const TRACKING_RELOADABLE = [
  'secrets.trackingKey',
  'secrets.previousTrackingKey',
  'secrets.trackingApiKey',
  'tracking.expirationUrl',
  'tracking.trustProxy',
  'tracking.personCookie',
  'tracking.publicUrl',
  'tracking.hosts',
  'tracking.keepDefinitionsDays',
  'tracking.logRetentionDays',
  'tracking.unshippedRetentionDays',
];

export interface TrackingServerOptions {
  config: HeraldConfig;
  /** Folder the store and log folders are relative to (the default instance's dataDir). */
  dataDir: string;
  log: Logger;
  clock?: () => number;
  /** Where the tracking metrics go (the module's registry; the default instance's figures). */
  registry?: Registry;
  /** Every instance of the appliance, read again at each reload (absent: the default instance alone). */
  instances?: (config: HeraldConfig) => InstanceSet;
}

const MAINTENANCE_MS = 3_600_000;

export async function startTrackingServer({ config, dataDir, log, clock = Date.now, registry, instances }: TrackingServerOptions): Promise<TrackingServer> {
  const nextHitId = hitIds();
  const main = await openTrackingSite({ config, dataDir, log, clock, nextHitId });
  const sites = new Map<string, TrackingSite>([[main.name, main]]);
  let hosts: HostTable = buildHostTable([], main.name);

  /** Opens, updates or closes the added instances' sites from the instance set as it reads now. */
  const sync = async (set: InstanceSet) => {
    for (const entry of set.loaded.filter((i) => !i.isDefault)) {
      const site = sites.get(entry.name);
      const siteLog = log.child({ instance: entry.name });
      if (site) site.apply(entry.config);
      else {
        try {
          sites.set(entry.name, await openTrackingSite({ config: entry.config, dataDir: instancePaths(entry.config).dataDir, log: siteLog, clock, nextHitId }));
          log.info('TRACKING_INSTANCE_SERVED', { instance: entry.name });
        } catch (err) {
          log.error('TRACKING_INSTANCE_FAILED', { instance: entry.name, err });
        }
      }
    }
    // A failed config keeps its last good site (its links keep working); one removed is closed.
    for (const failed of set.failed) log.error('TRACKING_INSTANCE_CONFIG_ERROR', { instance: failed.name, reason: failed.reason });
    const known = new Set([...set.loaded, ...set.failed].map((i) => i.name));
    for (const [name, site] of sites) {
      if (site === main || known.has(name)) continue;
      sites.delete(name);
      await site.close();
      log.info('TRACKING_INSTANCE_DROPPED', { instance: name });
    }
    hosts = buildHostTable(hostClaims({ loaded: set.loaded.filter((i) => sites.has(i.name)), failed: [] }, 'tracking'), main.name);
  };
  if (instances) await sync(instances(config));

  const siteFor = (req: IncomingMessage, path: string): TrackingSite | undefined => {
    if (path.startsWith('/api/')) return [...sites.values()].find((s) => isAuthorized(req.headers.authorization, s.apiKey)) ?? main;
    if (!path.startsWith('/r/') && !path.startsWith('/o/')) return main;
    const tag = trackingTokenTag(path.slice(3));
    if (tag) return sites.get(tag);
    const byHost = resolveHost(hosts, req.headers.host);
    return (byHost.kind === 'instance' && sites.get(byHost.instance)) || main;
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === '/r/test' && (req.method === 'GET' || req.method === 'HEAD')) return health(res, [...sites.values()]);
    const site = siteFor(req, path);
    if (!site) return sendNotFound(res, req.method === 'HEAD');
    site.handler(req, res);
  };

  if (registry) registerTrackingMetrics(registry, main.counts, main.hits, main.store);
  const t = config.tracking;
  const http = await listenHttp(handle, t.host, t.port);
  http.server.on('clientError', answerClientError);
  const maintainAll = async () => {
    for (const site of sites.values()) await site.maintain().catch((err: unknown) => log.error('TRACKING_MAINTENANCE_FAILED', { instance: site.name, err }));
  };
  const timer = setInterval(() => void maintainAll(), MAINTENANCE_MS);
  timer.unref();
  log.info('TRACKING_LISTENING', { host: t.host, port: http.port, deliveries: main.store.size(), instances: sites.size });
  return {
    port: http.port,
    status: () => ({
      port: http.port,
      deliveries: main.store.size(),
      ...main.hits.status(),
      ...(sites.size > 1 ? { instances: [...sites.keys()] } : {}),
    }),
    async reload(next) {
      main.apply(next);
      if (instances) await sync(instances(next));
      return { applied: TRACKING_RELOADABLE };
    },
    async stop() {
      clearInterval(timer);
      await http.close();
      await Promise.all([...sites.values()].map((s) => s.close()));
    },
  };
}

/**
 * `GET /r/test` (Adobe's name) for the watchdog and load balancers: 200 while every instance's hits
 * are being written, 503 when a hit log is failing (send clicks to another server).
 */
function health(res: ServerResponse, sites: readonly TrackingSite[]): void {
  const logs = sites.map((s) => s.hits.status());
  const healthy = logs.every((l) => l.healthy);
  sendJson(res, healthy ? 200 : 503, {
    status: healthy ? 'ok' : 'degraded',
    module: 'tracking',
    version: VERSION,
    deliveries: sites.reduce((n, s) => n + s.store.size(), 0),
    hitLog: healthy ? 'ok' : 'failing',
    bufferedBytes: logs.reduce((n, l) => n + l.bufferedBytes, 0),
  });
}
