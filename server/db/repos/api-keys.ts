import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { ApiKey } from '../models/index.js';

/** REST API keys: only a public prefix and a hash of the secret part are stored. */

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  operatorId: number | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const row = (k: ApiKey): ApiKeyRow => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  secretHash: k.secretHash,
  scopes: k.scopes,
  operatorId: k.operatorId ?? null,
  lastUsedAt: k.lastUsedAt ?? null,
  expiresAt: k.expiresAt ?? null,
  revokedAt: k.revokedAt ?? null,
  createdAt: k.createdAt,
});

export async function createApiKey(
  db: Database,
  input: { name: string; prefix: string; secretHash: string; scopes: string[]; operatorId: number | null; expiresAt: Date | null },
  now: Date,
): Promise<ApiKeyRow> {
  const { ApiKey } = db.models;
  return row(await db.write((transaction) => ApiKey.create({ ...input, createdAt: now, updatedAt: now }, { transaction })));
}

export async function listApiKeys(db: Database): Promise<ApiKeyRow[]> {
  const { ApiKey } = db.models;
  return (await ApiKey.findAll({ order: [['id', 'ASC']] })).map(row);
}

export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<ApiKeyRow | undefined> {
  const { ApiKey } = db.models;
  const k = await ApiKey.findOne({ where: { prefix } });
  return k ? row(k) : undefined;
}

/** Revokes the key with that name or prefix (not revoked yet); returns it, or undefined. */
export async function revokeApiKey(db: Database, ref: string, now: Date): Promise<ApiKeyRow | undefined> {
  const { ApiKey } = db.models;
  return db.write(async (transaction) => {
    const k = await ApiKey.findOne({ where: { [Op.or]: [{ name: ref }, { prefix: ref }], revokedAt: null }, transaction });
    if (!k) return undefined;
    await k.update({ revokedAt: now, updatedAt: now }, { transaction });
    return row(k);
  });
}

export async function touchApiKey(db: Database, id: number, now: Date): Promise<void> {
  const { ApiKey } = db.models;
  await db.write((transaction) => ApiKey.update({ lastUsedAt: now }, { where: { id }, transaction, silent: true }));
}
