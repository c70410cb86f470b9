import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fromRoot } from '../../shared/app-root.js';
import type { InstancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { ConfigError } from '../../shared/errors.js';
import { captureTransport, verifyTransport } from './capture.js';
import { createResolver } from './resolver.js';
import { SmtpTransport } from './smtp.js';
import { mxSecurity, relaySecurity, routeSecurity } from './tls-policy.js';
import type { Destination, Transport } from './types.js';

/** The configured transport (`mta.transport`) and destination resolver (routes, relay, MX, each with its TLS policy). */
export function createTransport(config: HeraldConfig, paths: InstancePaths): { transport: Transport; resolve: (domain: string) => Promise<Destination> } {
  const mta = config.mta;
  const relay = mta.relayHost ? { host: mta.relayHost, port: mta.relayPort, security: relaySecurity(mta) } : undefined;
  const resolveDestination = createResolver({
    routes: mta.routes,
    relay,
    routeSecurity: (route) => routeSecurity(mta, { tls: route.tls ?? '', tlsVerify: route.tlsVerify ?? true }),
    mxSecurity: mxSecurity(mta),
  });
  if (mta.transport === 'capture')
    return { transport: captureTransport(resolve(paths.dataDir, mta.captureDir)), resolve: async (domain) => ({ domain, hosts: [], mxNames: [] }) };
  if (mta.transport === 'verify') return { transport: verifyTransport(), resolve: resolveDestination };
  const transport = new SmtpTransport({
    heloName: mta.heloName || hostname(),
    connectTimeoutMs: mta.connectTimeoutMs,
    greetingTimeoutMs: mta.greetingTimeoutMs,
    socketTimeoutMs: mta.socketTimeoutMs,
    idleMs: mta.idleConnectionMs,
    extraCa: mta.tlsCaFile ? readCa(mta.tlsCaFile) : undefined,
  });
  return { transport, resolve: resolveDestination };
}

function readCa(file: string): string {
  try {
    const text = readFileSync(fromRoot(file), 'utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return text;
  } catch (err) {
    throw new ConfigError('config', 'mta.tlsCaFile', `cannot use ${file}: ${(err as Error).message}`);
  }
}
