import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import type { ContentBlockRow } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

/** Content blocks: read by name for compiling contents, listed and saved by the console. */

export interface BlockValues {
  name: string;
  label: string;
  format: 'html' | 'mjml';
  source: string;
}

export interface BlockRow extends BlockValues {
  id: number;
  updatedAt: Date;
}

const plain = (b: ContentBlockRow): BlockRow => ({ id: b.id, name: b.name, label: b.label, format: b.format, source: b.source, updatedAt: b.updatedAt });

export async function allBlocks(db: Database): Promise<BlockRow[]> {
  const { ContentBlockRow } = db.models;
  return (await ContentBlockRow.findAll({ order: [['name', 'ASC']] })).map(plain);
}

export async function findBlock(db: Database, name: string): Promise<BlockRow | undefined> {
  const { ContentBlockRow } = db.models;
  const b = await ContentBlockRow.findOne({ where: { name } });
  return b ? plain(b) : undefined;
}

export async function findBlockById(db: Database, id: number): Promise<BlockRow | undefined> {
  const { ContentBlockRow } = db.models;
  const b = await ContentBlockRow.findByPk(id);
  return b ? plain(b) : undefined;
}

/** The blocks of these names that exist, by name. */
export async function blocksNamed(db: Database, names: readonly string[]): Promise<Map<string, BlockRow>> {
  const { ContentBlockRow } = db.models;
  if (names.length === 0) return new Map();
  const rows = await ContentBlockRow.findAll({ where: { name: { [Op.in]: [...names] } } });
  return new Map(rows.map((b) => [b.name, plain(b)]));
}

/** Creates the block, or changes the one of that name; audited in the same transaction. */
export async function saveBlock(db: Database, values: BlockValues, audit: AuditInput): Promise<BlockRow> {
  const { ContentBlockRow } = db.models;
  return db.write(async (transaction) => {
    const found = await ContentBlockRow.findOne({ where: { name: values.name }, transaction });
    const at = audit.at;
    let row: ContentBlockRow;
    if (found) {
      await found.update({ label: values.label, format: values.format, source: values.source, updatedBy: audit.operatorId, updatedAt: at }, { transaction });
      row = found;
    } else row = await ContentBlockRow.create({ ...values, updatedBy: audit.operatorId, createdAt: at, updatedAt: at }, { transaction });
    await auditIn(db, transaction, { ...audit, targetType: 'content_block', targetId: row.id, detail: { name: values.name, created: !found } });
    return plain(row);
  });
}

/** Deliveries (not ended) and landing pages whose content includes the block, for the block page. */
export async function blockUsers(
  db: Database,
  name: string,
  limit: number,
): Promise<{ deliveries: Array<{ id: number; label: string; state: string }>; pages: Array<{ id: number; slug: string; title: string }> }> {
  const { Delivery, LandingPageRow } = db.models;
  const pattern = `%<herald-block name="${name}"%`;
  const deliveries = await Delivery.findAll({
    attributes: ['id', 'label', 'state', 'html'],
    where: { html: { [Op.like]: pattern }, state: { [Op.notIn]: ['finished', 'stopped', 'deleted', 'failed'] } },
    order: [['id', 'DESC']],
    limit,
  });
  const pages = await LandingPageRow.findAll({
    attributes: ['id', 'slug', 'title'],
    where: { source: { [Op.like]: pattern } },
    order: [['id', 'DESC']],
    limit,
  });
  return {
    deliveries: deliveries.map((d) => ({ id: d.id, label: d.label, state: d.state })),
    pages: pages.map((p) => ({ id: p.id, slug: p.slug, title: p.title })),
  };
}
