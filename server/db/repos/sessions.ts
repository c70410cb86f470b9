import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { WebSession } from '../models/index.js';

export interface NewSession {
  idHash: string;
  operatorId: number;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  expiresAt: Date;
}

export async function createSession(db: Database, input: NewSession): Promise<void> {
  const { WebSession } = db.models;
  await db.write((transaction) =>
    WebSession.create(
      {
        idHash: input.idHash,
        operatorId: input.operatorId,
        ip: input.ip?.slice(0, 64) ?? null,
        userAgent: input.userAgent?.slice(0, 255) ?? null,
        createdAt: input.now,
        lastSeenAt: input.now,
        expiresAt: input.expiresAt,
      },
      { transaction },
    ),
  );
}

export function findSession(db: Database, idHash: string): Promise<WebSession | null> {
  const { WebSession } = db.models;
  return WebSession.findByPk(idHash);
}

export async function touchSession(db: Database, idHash: string, now: Date): Promise<void> {
  const { WebSession } = db.models;
  await db.write((transaction) => WebSession.update({ lastSeenAt: now }, { where: { idHash }, transaction }));
}

export async function deleteSession(db: Database, idHash: string): Promise<void> {
  const { WebSession } = db.models;
  await db.write((transaction) => WebSession.destroy({ where: { idHash }, transaction }));
}

/** Removes sessions past their absolute end or idle for longer than the idle timeout. */
export async function deleteExpiredSessions(db: Database, now: Date, idleSince: Date): Promise<void> {
  const { WebSession } = db.models;
  await db.write((transaction) =>
    WebSession.destroy({ where: { [Op.or]: [{ expiresAt: { [Op.lte]: now } }, { lastSeenAt: { [Op.lt]: idleSince } }] }, transaction }),
  );
}
