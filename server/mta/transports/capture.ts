import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../smtp-outcome.js';
import type { Destination, OutboundMessage, SessionLimits, Transport } from './types.js';

/**
 * The default transport of a fresh install: each message is written as an .eml file
 * (`<dir>/<delivery>/<broad log>.eml`, with the envelope as Return-Path and X-Herald-Envelope-To),
 * so nothing leaves the machine until an admin configures SMTP. Writes are atomic (temp + rename).
 */
export function captureTransport(dir: string): Transport {
  const made = new Set<number>();
  return {
    name: 'capture',
    async send(message: OutboundMessage, _destination: Destination, _limits: SessionLimits): Promise<Outcome> {
      const folder = join(dir, String(message.deliveryId));
      if (!made.has(message.deliveryId)) {
        await mkdir(folder, { recursive: true });
        made.add(message.deliveryId);
      }
      const file = join(folder, `${message.broadLogId}.eml`);
      const head = `Return-Path: <${message.envelope.from}>\r\nX-Herald-Envelope-To: <${message.envelope.to}>\r\n`;
      await writeFile(`${file}.tmp`, Buffer.concat([Buffer.from(head), message.raw]));
      await rename(`${file}.tmp`, file);
      return { kind: 'sent', response: `250 captured to ${message.deliveryId}/${message.broadLogId}.eml` };
    },
    openSessions: () => 0,
    pool: () => ({ busy: 0, idle: 0, waiting: 0 }),
    close: async () => undefined,
  };
}

/** Adobe's verifyMode: everything but the transmission (the destination was resolved already). */
export function verifyTransport(): Transport {
  return {
    name: 'verify',
    async send(message, destination) {
      const host = destination.hosts[0];
      return {
        kind: 'sent',
        response: `250 verify mode: ${message.raw.length} bytes for ${host ? `${host.host}:${host.port}` : destination.domain} not transmitted`,
      };
    },
    openSessions: () => 0,
    pool: () => ({ busy: 0, idle: 0, waiting: 0 }),
    close: async () => undefined,
  };
}
