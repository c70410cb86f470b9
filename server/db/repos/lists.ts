import { col, fn, Op } from 'sequelize';
import type { Database } from '../connect.js';
import { rawRows } from '../raw-rows.js';
import type { List } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

export interface ListValues {
  name: string;
  label: string;
  description: string | null;
  expiresAt: Date | null;
}

/** Every list with its member count (one grouped read of the primary key). */
export async function listsWithCounts(db: Database): Promise<Array<{ list: List; members: number }>> {
  const { List, ListMember } = db.models;
  const lists = await List.findAll({ order: [['label', 'ASC']] });
  const grouped = await rawRows<{
    listId: number;
    n: number | string;
  }>(ListMember, { attributes: ['listId', [fn('COUNT', col('*')), 'n']], group: ['listId'] });
  const counts = new Map(grouped.map((g) => [Number(g.listId), Number(g.n)]));
  return lists.map((list) => ({ list, members: counts.get(list.id) ?? 0 }));
}

export function countMembers(db: Database, listId: number): Promise<number> {
  const { ListMember } = db.models;
  return ListMember.count({ where: { listId } });
}

export function findList(db: Database, id: number): Promise<List | null> {
  const { List } = db.models;
  return List.findByPk(id);
}

export function findListNamed(db: Database, name: string): Promise<List | null> {
  const { List } = db.models;
  return List.findOne({ where: { name } });
}

export function createList(db: Database, values: ListValues, audit: AuditInput): Promise<List> {
  const { List } = db.models;
  return db.write(async (transaction) => {
    const list = await List.create({ ...values, createdAt: audit.at, updatedAt: audit.at }, { transaction });
    await auditIn(db, transaction, { ...audit, targetId: list.id });
    return list;
  });
}

export async function updateList(db: Database, id: number, values: ListValues, audit: AuditInput): Promise<void> {
  const { List } = db.models;
  await db.write(async (transaction) => {
    await List.update(values, { where: { id }, transaction });
    await auditIn(db, transaction, audit);
  });
}

/** A page of a list's members in recipient id order (keyset on the primary key). */
export async function listMembersPage(db: Database, listId: number, afterRecipientId: number, limit: number) {
  const { ListMember, Recipient } = db.models;
  const members = await ListMember.findAll({
    where: { listId, recipientId: { [Op.gt]: afterRecipientId } },
    order: [['recipientId', 'ASC']],
    limit: limit + 1,
  });
  const page = members.slice(0, limit);
  const recipients = await Recipient.findAll({
    attributes: ['id', 'email', 'firstName', 'lastName'],
    where: { id: { [Op.in]: page.map((m) => m.recipientId) } },
  });
  const byId = new Map(recipients.map((r) => [r.id, r]));
  return {
    rows: page.map((m) => ({
      recipientId: m.recipientId,
      since: m.createdAt,
      email: byId.get(m.recipientId)?.email ?? null,
      firstName: byId.get(m.recipientId)?.firstName ?? null,
      lastName: byId.get(m.recipientId)?.lastName ?? null,
    })),
    next: members.length > limit ? page[page.length - 1]!.recipientId : undefined,
  };
}

/** Adds or removes one recipient, with the audit line; false when nothing changed. */
export async function changeListMember(db: Database, input: { listId: number; recipientId: number; add: boolean }, audit: AuditInput): Promise<boolean> {
  const { ListMember } = db.models;
  return db.write(async (transaction) => {
    const where = { listId: input.listId, recipientId: input.recipientId };
    const existing = await ListMember.findOne({ where, transaction });
    if (Boolean(existing) === input.add) return false;
    if (input.add) await ListMember.create({ ...where, createdAt: audit.at }, { transaction });
    else await ListMember.destroy({ where, transaction });
    await auditIn(db, transaction, audit);
    return true;
  });
}

/** Every list (id and label), for pickers. */
export function allLists(db: Database): Promise<List[]> {
  const { List } = db.models;
  return List.findAll({ attributes: ['id', 'name', 'label'], order: [['label', 'ASC']] });
}
