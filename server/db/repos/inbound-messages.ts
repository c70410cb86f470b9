import type { Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import type { InboundMessage } from '../models/index.js';

/** Inbound mail kept for review in the console (unmatched, unparsable, forged): never deleted silently. */

export interface KeptMessage {
  receivedAt: Date;
  mailFrom: string | null;
  rcptTo: string | null;
  subject: string | null;
  messageId: string | null;
  kind: InboundMessage['kind'];
  status: InboundMessage['status'];
  reason: string;
  spoolFile: string;
  size: number;
}

/** Storable text: no control characters (a NUL ends an SQL string in some drivers), at most `n` characters. */
const clip = (v: string | null, n: number) => (v ? v.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, n) : v);

export async function keepInboundMessages(db: Database, rows: readonly KeptMessage[], now: Date, transaction: Transaction): Promise<void> {
  const { InboundMessage } = db.models;
  if (rows.length === 0) return;
  await InboundMessage.bulkCreate(
    rows.map((r) => ({
      ...r,
      mailFrom: clip(r.mailFrom, 320),
      rcptTo: clip(r.rcptTo, 320),
      subject: clip(r.subject, 255),
      messageId: clip(r.messageId, 255),
      reason: clip(r.reason, 255)!,
      createdAt: now,
    })),
    { transaction },
  );
}
