import { request } from 'node:http';
import { connect } from 'node:net';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { silentLogger } from '../../server/shared/logger.js';
import { encodeTrackingToken, type TrackingIds } from '../../server/shared/tokens.js';
import { trackingApiKey } from '../../server/shared/tracking-protocol/api-key.js';
import { startTrackingServer, type TrackingServer } from '../../server/tracking/tracking-server.js';

/** Tracking servers on 127.0.0.1:0 and links built exactly as the message builder builds them. */

export interface TestTracker {
  server: TrackingServer;
  base: string;
  config: HeraldConfig;
  stop(): Promise<void>;
}

export type TrackingOverrides = Partial<HeraldConfig['tracking']>;

/** The instance's config with tracking settings replaced (the config object is frozen). */
export function withTracking(config: HeraldConfig, overrides: TrackingOverrides): HeraldConfig {
  return { ...config, tracking: { ...config.tracking, ...overrides } };
}

export async function startTestTracker(config: HeraldConfig, dataDir: string, overrides: TrackingOverrides = {}, clock?: () => number): Promise<TestTracker> {
  const effective = withTracking(config, { host: '127.0.0.1', port: 0, ...overrides });
  const server = await startTrackingServer({ config: effective, dataDir, log: silentLogger(), clock });
  return { server, base: `http://127.0.0.1:${server.port}`, config: effective, stop: () => server.stop() };
}

/** `<base>/r/<token>?p1=…` per the tracked-link contract (values signed raw, carried URL-encoded). */
export function clickLink(base: string, key: string, ids: TrackingIds, values: string[] = []): string {
  const query = values.map((v, i) => `p${i + 1}=${encodeURIComponent(v)}`).join('&');
  return `${base}/r/${encodeTrackingToken(key, ids, values)}${query ? `?${query}` : ''}`;
}

export function openLink(base: string, key: string, ids: TrackingIds): string {
  return `${base}/o/${encodeTrackingToken(key, ids)}`;
}

export async function pushDefinition(base: string, config: HeraldConfig, definition: unknown, key = trackingApiKey(config.secrets)): Promise<Response> {
  return fetch(`${base}/api/urls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(definition),
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the path sent byte for byte (fetch would normalize `\`, `..` and percent-escapes). */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers, insecureHTTPParser: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface HitPageBody {
  next: string;
  more: boolean;
  hits: Array<Record<string, unknown>>;
}

/** The hits a tracking server ships since a checkpoint (its log-shipping endpoint). */
export async function shippedHits(base: string, config: HeraldConfig, since = '', limit = 1000): Promise<HitPageBody> {
  const res = await fetch(`${base}/api/hits?since=${encodeURIComponent(since)}&limit=${limit}`, {
    headers: { authorization: `Bearer ${trackingApiKey(config.secrets)}` },
  });
  if (res.status !== 200) throw new Error(`/api/hits answered ${res.status}`);
  return (await res.json()) as HitPageBody;
}

/** Sends raw bytes to a server and returns everything it answers until it closes the connection. */
export function rawSocket(base: string, data: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(data));
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}
