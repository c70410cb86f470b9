import type { Outcome } from '../smtp-outcome.js';
import type { ConnectionSecurity } from './tls-policy.js';

/** One message ready for the wire: the envelope and the exact bytes to send. */
export interface OutboundMessage {
  broadLogId: number;
  deliveryId: number;
  envelope: { from: string; to: string };
  raw: Buffer;
}

/** Where a domain's mail goes: hosts in preference order, the MX names the rules may match, and how to secure the connection. */
export interface Destination {
  domain: string;
  hosts: ReadonlyArray<{ host: string; port: number }>;
  mxNames: readonly string[];
  /** Absent: opportunistic STARTTLS, no verification, no login. */
  security?: ConnectionSecurity;
}

/** Limits the sender applies to one throttle key's sessions. */
export interface SessionLimits {
  key: string;
  maxConnections: number;
  maxMessagesPerConnection: number;
}

/** A way messages leave: SMTP, the capture spool or verify mode. */
export interface Transport {
  readonly name: 'smtp' | 'capture' | 'verify';
  send(message: OutboundMessage, destination: Destination, limits: SessionLimits): Promise<Outcome>;
  /** Sessions open now, per throttle key (for status and the connection limits). */
  openSessions(key: string): number;
  /** Every session at once (for the metrics): open ones busy or idle, and sends waiting for a session. */
  pool(): { busy: number; idle: number; waiting: number };
  close(): Promise<void>;
}
