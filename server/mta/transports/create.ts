import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { InstancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { captureTransport, verifyTransport } from './capture.js';
import { createResolver } from './resolver.js';
import { SmtpTransport } from './smtp.js';
import type { Destination, Transport } from './types.js';

/** The configured transport (`mta.transport`) and destination resolver (routes, relay, MX). */
export function createTransport(config: HeraldConfig, paths: InstancePaths): { transport: Transport; resolve: (domain: string) => Promise<Destination> } {
  const mta = config.mta;
  const relay = mta.relayHost ? { host: mta.relayHost, port: mta.relayPort } : undefined;
  const resolveDestination = createResolver({ routes: mta.routes, relay });
  if (mta.transport === 'capture')
    return { transport: captureTransport(resolve(paths.dataDir, mta.captureDir)), resolve: async (domain) => ({ domain, hosts: [], mxNames: [] }) };
  if (mta.transport === 'verify') return { transport: verifyTransport(), resolve: resolveDestination };
  const transport = new SmtpTransport({
    heloName: mta.heloName || hostname(),
    tls: mta.tls,
    connectTimeoutMs: mta.connectTimeoutMs,
    greetingTimeoutMs: mta.greetingTimeoutMs,
    socketTimeoutMs: mta.socketTimeoutMs,
    idleMs: mta.idleConnectionMs,
    auth: relay && mta.relayUser ? { user: mta.relayUser, pass: mta.relayPassword } : undefined,
  });
  return { transport, resolve: resolveDestination };
}
