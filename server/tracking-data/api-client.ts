import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError, HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import { trackingApiKey } from '../shared/tracking-protocol/api-key.js';

/**
 * Herald's side of the tracking servers' API: which servers there are, and one authenticated JSON
 * call with a timeout. Used by the URL push and by the ingest job (never by the tracking module).
 */

/** The configured tracking servers, or this host's own tracking module when none is listed. */
export function trackingServers(config: HeraldConfig): string[] {
  const listed = config.tracking.servers.map((s) => s.replace(/\/+$/, ''));
  if (listed.length > 0) return [...new Set(listed)];
  const wildcard: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
  const host = wildcard[config.tracking.host] ?? config.tracking.host;
  return [`http://${host.includes(':') ? `[${host}]` : host}:${config.tracking.port}`];
}

export async function callTrackingServer(config: HeraldConfig, server: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${trackingApiKey(config.secrets)}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(config.tracking.apiTimeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw unavailable(server, cause ?? describeError(err));
  }
  const text = await response.text();
  if (!response.ok) throw unavailable(server, `HTTP ${response.status}${text.length < 200 ? ` ${text}` : ''}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unavailable(server, 'the answer is not JSON');
  }
}

const unavailable = (server: string, detail: string) =>
  new HeraldError('TRACKING_SERVER_UNAVAILABLE', `tracking server ${server}: ${detail}`, { exitCode: EXIT.UNAVAILABLE, status: 502 });
