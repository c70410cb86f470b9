import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { InboundMessage } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';
import { operatorRuleId, saveOperatorRule } from './bounce-rules.js';

/** Inbound mail kept for review in the console (unmatched, unparsable, forged): never deleted silently; read in pages newest first. */

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

export const INBOUND_REVIEW_STATUSES = ['unmatched', 'unparsable', 'forged', 'reviewed'] as const;
export type InboundReviewStatus = (typeof INBOUND_REVIEW_STATUSES)[number];

export interface InboundCursor {
  receivedAt: Date;
  id: number;
}

/** Inbound mail kept for review with a status, newest first (the (status, received_at) index). */
export async function inboundPage(
  db: Database,
  status: InboundReviewStatus,
  before: InboundCursor | undefined,
  limit: number,
): Promise<{ rows: InboundMessage[]; next?: InboundCursor }> {
  const { InboundMessage } = db.models;
  const where: WhereOptions = before
    ? { status, receivedAt: { [Op.lte]: before.receivedAt }, [Op.or]: [{ receivedAt: { [Op.lt]: before.receivedAt } }, { id: { [Op.lt]: before.id } }] }
    : { status };
  const found = await InboundMessage.findAll({
    attributes: { exclude: ['spoolFile'] },
    where,
    order: [
      ['receivedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: limit + 1,
  });
  const rows = found.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, next: found.length > limit && last ? { receivedAt: last.receivedAt, id: last.id } : undefined };
}

export function findInboundMessage(db: Database, id: number): Promise<InboundMessage | null> {
  return db.models.InboundMessage.findByPk(id);
}

/** An operator's qualification of a text read from inbound mail kept for review. */
export interface TextQualification {
  normalized: string;
  sample: string;
  failureType: FailureType;
  failureReason: FailureReason;
}

/**
 * Marks inbound mail kept for review as reviewed, with the qualification of one of its texts as an
 * operator rule when given (applied by the MTA and inMail to later messages); audited in the same
 * transaction.
 */
export async function reviewInboundMessage(db: Database, id: number, qualification: TextQualification | undefined, audit: AuditInput): Promise<boolean> {
  const { InboundMessage } = db.models;
  return db.write(async (transaction) => {
    const [count] = await InboundMessage.update({ status: 'reviewed' }, { where: { id }, transaction });
    if (count !== 1) return false;
    if (qualification) {
      const ruleId = await saveOperatorRule(
        db,
        {
          normalized: qualification.normalized,
          sample: qualification.sample,
          type: qualification.failureType,
          reason: qualification.failureReason,
          bounceTextId: null,
          by: audit.operatorLogin,
        },
        audit.at,
        transaction,
      );
      await auditIn(db, transaction, { ...audit, detail: { ...audit.detail, rule: operatorRuleId(ruleId) } });
    } else await auditIn(db, transaction, audit);
    return true;
  });
}
