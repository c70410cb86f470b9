import { simpleParser, type ParsedMail } from 'mailparser';
import { Op } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { eventContexts } from '../../server/db/repos/events.js';
import { buildMessages } from '../../server/delivery/build-message.js';
import { loadCompiledDelivery, recipientsForLogs } from '../../server/delivery/sending.js';
import type { HeraldConfig } from '../../server/shared/config/schema.js';
import { SENDING_STATES } from '../../server/shared/glossary.js';

/**
 * The messages the MTA would send now, built by the same calls it makes (compiled delivery,
 * recipients of the batch, event contexts, buildMessages) and parsed back with mailparser. Used
 * where no MTA runs: nothing is marked sent.
 */
export interface OutboxMessage {
  broadLogId: number;
  deliveryId: number;
  kind: string;
  to: string;
  raw: string;
  mail: ParsedMail;
}

export async function pendingMessages(db: Database, config: HeraldConfig, where: { address?: string } = {}): Promise<OutboxMessage[]> {
  const deliveries = await db.models.Delivery.findAll({ where: { state: { [Op.in]: [...SENDING_STATES] }, isTemplate: false } });
  const out: OutboxMessage[] = [];
  for (const d of deliveries) {
    const logs = (
      await db.models.BroadLog.findAll({
        where: { deliveryId: d.id, status: 'pending', ...(where.address ? { address: where.address } : {}) },
        order: [['id', 'ASC']],
      })
    ).map((l) => ({ id: l.id, deliveryId: l.deliveryId, recipientId: l.recipientId, address: l.address, emailFormat: l.emailFormat, status: l.status }));
    if (logs.length === 0) continue;
    const compiled = await loadCompiledDelivery({ db, config, dkim: [] }, d.id);
    const recipients = await recipientsForLogs(db, logs);
    const events = await eventContexts(
      db,
      logs.map((l) => l.id),
    );
    const built = buildMessages(
      compiled,
      logs.map((log) => ({ recipient: recipients.get(log.id)!, log, event: events.get(log.id) })),
      new Date(),
    );
    for (const [i, b] of built.entries()) {
      if (!b.ok) throw new Error(`message ${logs[i]!.id} does not build: ${b.error}`);
      out.push({ broadLogId: logs[i]!.id, deliveryId: d.id, kind: d.kind, to: b.envelope.to, raw: b.raw.toString('utf8'), mail: await simpleParser(b.raw) });
    }
  }
  return out;
}
