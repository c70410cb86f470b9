import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { globToRegExp } from '../domain-rules.js';
import type { ConnectionSecurity, TlsMode } from './tls-policy.js';
import type { Destination } from './types.js';

/**
 * Finds where a domain's mail goes: a static route from config first, the relay when one is set,
 * else the MX records (lowest preference first; the domain itself when it has none, RFC 5321 §5.1;
 * a null MX "." means the domain takes no mail). Results are cached for five minutes.
 */

export interface Route {
  domain: string;
  hosts: readonly string[];
  tls?: TlsMode | '';
  tlsVerify?: boolean;
}

export class DestinationError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

export interface ResolverOptions {
  routes: readonly Route[];
  relay?: { host: string; port: number; security?: ConnectionSecurity };
  /** The security of a route (from its tls and tlsVerify), and of the MX hosts. */
  routeSecurity?: (route: Route) => ConnectionSecurity;
  mxSecurity?: ConnectionSecurity;
  /** Injected for tests; defaults to node:dns. */
  resolveMx?: (domain: string) => Promise<Array<{ exchange: string; priority: number }>>;
  ttlMs?: number;
}

const parseHost = (text: string, defaultPort = 25) => {
  const m = /^(.*?)(?::(\d+))?$/.exec(text)!;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
};

export function createResolver(options: ResolverOptions): (domain: string, now?: number) => Promise<Destination> {
  const cache = new Map<string, { at: number; value: Destination | DestinationError }>();
  const ttl = options.ttlMs ?? 300_000;
  const resolveMx = options.resolveMx ?? ((d: string) => dns.resolveMx(d));
  return async (domain, now = Date.now()) => {
    const key = domain.toLowerCase();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttl) {
      if (hit.value instanceof DestinationError) throw hit.value;
      return hit.value;
    }
    let value: Destination | DestinationError;
    try {
      value = await lookup(key, options, resolveMx);
    } catch (err) {
      value = err instanceof DestinationError ? err : new DestinationError(`DNS lookup failed for ${key}: ${(err as Error).message}`, true);
    }
    cache.set(key, { at: now, value });
    if (value instanceof DestinationError) throw value;
    return value;
  };
}

async function lookup(domain: string, options: ResolverOptions, resolveMx: NonNullable<ResolverOptions['resolveMx']>): Promise<Destination> {
  const route = options.routes.find((r) => globToRegExp(r.domain).test(domain));
  if (route)
    return {
      domain,
      hosts: route.hosts.map((h) => parseHost(h)),
      mxNames: route.hosts.map((h) => parseHost(h).host),
      ...(options.routeSecurity ? { security: options.routeSecurity(route) } : {}),
    };
  if (options.relay)
    return {
      domain,
      hosts: [{ host: options.relay.host, port: options.relay.port }],
      mxNames: [],
      ...(options.relay.security ? { security: options.relay.security } : {}),
    };
  if (isIP(domain.replace(/^\[|\]$/g, ''))) throw new DestinationError(`refusing to send to an address literal (${domain})`, false);
  let records: Array<{ exchange: string; priority: number }>;
  try {
    records = await resolveMx(domain);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND') throw new DestinationError(`DNS query failed for '${domain}': domain not found (NXDOMAIN)`, true);
    if (code === 'ENODATA') records = [];
    else throw new DestinationError(`DNS query failed for '${domain}': ${code ?? 'error'}`, true);
  }
  if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
    throw new DestinationError(`${domain} does not accept mail (null MX, RFC 7505)`, false);
  }
  const sorted = records.length ? [...records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange.replace(/\.$/, '')) : [domain];
  return { domain, hosts: sorted.map((h) => ({ host: h, port: 25 })), mxNames: sorted, ...(options.mxSecurity ? { security: options.mxSecurity } : {}) };
}
