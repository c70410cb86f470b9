import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { AuditAction } from '../../shared/audit-actions.js';
import type { Database } from '../connect.js';
import type { AuditEntry } from '../models/index.js';

/** Who did what, to what, from where: one audit log line. */
export interface AuditInput {
  at: Date;
  operatorId: number | null;
  operatorLogin: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string | number;
  /** A small object describing the change (never passwords or message bodies). */
  detail?: Record<string, unknown>;
  ip?: string | null;
}

/** Writes an audit line inside the caller's transaction, so the change and its trace commit together. */
export async function auditIn(db: Database, transaction: Transaction, input: AuditInput): Promise<void> {
  const { AuditEntry } = db.models;
  await AuditEntry.create(
    {
      at: input.at,
      operatorId: input.operatorId,
      operatorLogin: input.operatorLogin,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId === undefined ? null : String(input.targetId),
      detail: input.detail ? JSON.stringify(input.detail).slice(0, 4000) : null,
      ip: input.ip?.slice(0, 64) ?? null,
    },
    { transaction },
  );
}

/** Records an action that changes nothing else (login, logout, export). */
export function recordAudit(db: Database, input: AuditInput): Promise<void> {
  return db.write((transaction) => auditIn(db, transaction, input));
}

export interface AuditFilter {
  action?: string;
  operatorId?: number;
  targetType?: string;
  targetId?: string;
}

/** One page of the audit log, newest first, keyset on id (before = the last id of the previous page). */
export function auditPage(db: Database, filter: AuditFilter, before: number | undefined, limit: number): Promise<AuditEntry[]> {
  const { AuditEntry } = db.models;
  const where: WhereOptions = {};
  if (filter.action) Object.assign(where, { action: filter.action });
  if (filter.operatorId) Object.assign(where, { operatorId: filter.operatorId });
  if (filter.targetType) Object.assign(where, { targetType: filter.targetType });
  if (filter.targetId) Object.assign(where, { targetId: filter.targetId });
  if (before) Object.assign(where, { id: { [Op.lt]: before } });
  return AuditEntry.findAll({ where, order: [['id', 'DESC']], limit });
}
