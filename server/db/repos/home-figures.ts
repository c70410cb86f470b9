import { col, fn, Op } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';

/**
 * What the console's home page reads: the deliveries started since a date with their counters and
 * consolidated indicators (never raw logs), and the facts of the setup checklist held in the
 * database. Deliveries are few (thousands), so these reads stay small.
 */

export interface DeliveryFigures {
  id: number;
  label: string;
  kind: string;
  state: string;
  startedAt: Date;
  processed: number;
  sent: number;
  failed: number;
  /** Distinct recipients who opened (a click counts as an open). */
  opens: number;
  /** Distinct recipients who clicked. */
  clicks: number;
  optOuts: number;
  /** Addresses of this delivery put on the denylist by a complaint (feedback loop). */
  complaints: number;
}

/** Deliveries and transactional deliveries (not proofs, not templates) started since `since`, newest first. */
export async function deliveryFiguresSince(db: Database, since: Date, limit = 1000): Promise<DeliveryFigures[]> {
  const { Delivery, DeliveryIndicator, Quarantine } = db.models;
  const rows = await Delivery.findAll({
    attributes: ['id', 'label', 'kind', 'state', 'startedAt', 'processed', 'sent', 'failed'],
    where: { isTemplate: false, kind: { [Op.ne]: 'proof' }, startedAt: { [Op.gte]: since } },
    order: [['startedAt', 'DESC']],
    limit,
  });
  if (rows.length === 0) return [];
  const ids = rows.map((d) => d.id);
  const indicators = new Map(
    (
      await DeliveryIndicator.findAll({ attributes: ['deliveryId', 'recipientOpens', 'recipientClicks', 'optOuts'], where: { deliveryId: { [Op.in]: ids } } })
    ).map((i) => [i.deliveryId, i]),
  );
  const complaints = new Map(
    (
      await rawRows<{ deliveryId: number | string; n: number | string }>(Quarantine, {
        attributes: ['deliveryId', [fn('COUNT', col('id')), 'n']],
        where: { status: 'denylisted', deliveryId: { [Op.in]: ids } },
        group: ['deliveryId'],
      })
    ).map((r) => [Number(r.deliveryId), Number(r.n)]),
  );
  return rows.map((d) => {
    const ind = indicators.get(d.id);
    return {
      id: d.id,
      label: d.label,
      kind: d.kind,
      state: d.state,
      startedAt: d.startedAt!,
      processed: d.processed,
      sent: d.sent,
      failed: d.failed,
      opens: ind?.recipientOpens ?? 0,
      clicks: ind?.recipientClicks ?? 0,
      optOuts: ind?.optOuts ?? 0,
      complaints: complaints.get(d.id) ?? 0,
    };
  });
}

/** Whether a proof was ever sent (a proof delivery with at least one message sent). */
export async function proofWasSent(db: Database): Promise<boolean> {
  return (await db.models.Delivery.count({ where: { kind: 'proof', sent: { [Op.gt]: 0 } } })) > 0;
}

/** Administrators who still have to replace their one-time password (id and login). */
export async function adminsWithOneTimePassword(db: Database): Promise<Array<{ id: number; login: string }>> {
  const rows = await db.models.Operator.findAll({
    attributes: ['id', 'login', 'rights'],
    where: { mustChangePassword: true, disabled: false },
    order: [['id', 'ASC']],
  });
  return rows.filter((o) => o.rights.includes('admin')).map((o) => ({ id: o.id, login: o.login }));
}
