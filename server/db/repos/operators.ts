import { Op } from 'sequelize';
import type { NamedRight } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import type { Operator } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

export interface NewOperator {
  login: string;
  name?: string | null;
  email?: string | null;
  passwordHash: string;
  rights: NamedRight[];
  mustChangePassword?: boolean;
  /** Console language; null or absent: `languages.default`. */
  language?: string | null;
}

/** Creates an operator; with `audit`, the audit line is written in the same transaction. */
export async function createOperator(db: Database, input: NewOperator, audit?: AuditInput): Promise<Operator> {
  const { Operator } = db.models;
  return db.write(async (transaction) => {
    const operator = await Operator.create(
      {
        login: input.login,
        name: input.name ?? null,
        email: input.email ?? null,
        passwordHash: input.passwordHash,
        rights: input.rights,
        mustChangePassword: input.mustChangePassword ?? false,
        language: input.language ?? null,
      },
      { transaction },
    );
    if (audit) await auditIn(db, transaction, { ...audit, targetId: operator.id });
    return operator;
  });
}

export function findOperatorById(db: Database, id: number): Promise<Operator | null> {
  const { Operator } = db.models;
  return Operator.findByPk(id);
}

export interface OperatorChanges {
  name: string | null;
  email: string | null;
  rights: NamedRight[];
  disabled: boolean;
  language?: string | null;
}

/** Changes an operator; disabling one ends its sessions in the same transaction. */
export async function updateOperator(db: Database, id: number, changes: OperatorChanges, audit: AuditInput): Promise<void> {
  const { Operator, WebSession } = db.models;
  await db.write(async (transaction) => {
    await Operator.update(changes, { where: { id }, transaction });
    if (changes.disabled) await WebSession.destroy({ where: { operatorId: id }, transaction });
    await auditIn(db, transaction, audit);
  });
}

/**
 * Sets a password by operator id and ends the operator's other sessions (all of them when
 * `keepSessionHash` is not given), with its audit line, in one transaction.
 */
export async function setPasswordById(
  db: Database,
  id: number,
  passwordHash: string,
  mustChange: boolean,
  audit: AuditInput,
  keepSessionHash?: string,
): Promise<void> {
  const { Operator, WebSession } = db.models;
  await db.write(async (transaction) => {
    await Operator.update({ passwordHash, mustChangePassword: mustChange }, { where: { id }, transaction });
    const where = keepSessionHash ? { operatorId: id, idHash: { [Op.ne]: keepSessionHash } } : { operatorId: id };
    await WebSession.destroy({ where, transaction });
    await auditIn(db, transaction, audit);
  });
}

/** Notes a successful login (time and, for an old hash, the re-hashed password) with its audit line. */
export async function recordLogin(db: Database, id: number, now: Date, audit: AuditInput, newHash?: string): Promise<void> {
  const { Operator } = db.models;
  await db.write(async (transaction) => {
    await Operator.update({ lastLoginAt: now, ...(newHash ? { passwordHash: newHash } : {}) }, { where: { id }, transaction });
    await auditIn(db, transaction, audit);
  });
}

export function findOperator(db: Database, login: string): Promise<Operator | null> {
  const { Operator } = db.models;
  return Operator.findOne({ where: { login } });
}

export function countOperators(db: Database): Promise<number> {
  const { Operator } = db.models;
  return Operator.count();
}

export function listOperators(db: Database): Promise<Operator[]> {
  const { Operator } = db.models;
  return Operator.findAll({ order: [['login', 'ASC']] });
}

/** Sets a new password hash; returns false when no operator has that login. */
export async function setOperatorPassword(db: Database, login: string, passwordHash: string, mustChange: boolean): Promise<boolean> {
  const { Operator } = db.models;
  const [count] = await db.write((transaction) => Operator.update({ passwordHash, mustChangePassword: mustChange }, { where: { login }, transaction }));
  return count > 0;
}
