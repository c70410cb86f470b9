import { Op } from 'sequelize';
import type { Database } from '../connect.js';

/**
 * Names of the objects an audit page mentions (`<type>:<id>` → name), read in one query per type
 * for the page's rows only: recipients by address, operators by login, the others by label.
 */
export type AuditRef = { type: string; id: number };

interface Source {
  find(models: Database['models'], ids: number[]): Promise<Array<{ id: number; name: string }>>;
}

const by = <M extends { id: number }>(rows: M[], name: (m: M) => string) => rows.map((m) => ({ id: m.id, name: name(m) }));
const where = (ids: number[]) => ({ where: { id: { [Op.in]: ids } } });

const SOURCES: Record<string, Source> = {
  recipient: { find: async (m, ids) => by(await m.Recipient.findAll({ attributes: ['id', 'email'], ...where(ids) }), (r) => r.email) },
  operator: { find: async (m, ids) => by(await m.Operator.findAll({ attributes: ['id', 'login'], ...where(ids) }), (o) => o.login) },
  service: { find: async (m, ids) => by(await m.Service.findAll({ attributes: ['id', 'label'], ...where(ids) }), (s) => s.label) },
  list: { find: async (m, ids) => by(await m.List.findAll({ attributes: ['id', 'label'], ...where(ids) }), (l) => l.label) },
  delivery: { find: async (m, ids) => by(await m.Delivery.findAll({ attributes: ['id', 'label'], ...where(ids) }), (d) => d.label) },
  workflow: { find: async (m, ids) => by(await m.Workflow.findAll({ attributes: ['id', 'label'], ...where(ids) }), (w) => w.label) },
  segment: { find: async (m, ids) => by(await m.Segment.findAll({ attributes: ['id', 'label'], ...where(ids) }), (s) => s.label) },
  bulk_action: { find: async (m, ids) => by(await m.BulkAction.findAll({ attributes: ['id'], ...where(ids) }), (b) => `#${b.id}`) },
  import: { find: async (m, ids) => by(await m.ImportJob.findAll({ attributes: ['id', 'fileName'], ...where(ids) }), (j) => j.fileName) },
  bounce_text: { find: async (m, ids) => by(await m.BounceText.findAll({ attributes: ['id', 'firstText'], ...where(ids) }), (b) => b.firstText.slice(0, 80)) },
};

export async function auditTargetNames(db: Database, refs: readonly AuditRef[]): Promise<Map<string, string>> {
  const byType = new Map<string, Set<number>>();
  for (const r of refs) if (SOURCES[r.type] && Number.isSafeInteger(r.id)) byType.set(r.type, (byType.get(r.type) ?? new Set()).add(r.id));
  const names = new Map<string, string>();
  for (const [type, ids] of byType) for (const row of await SOURCES[type]!.find(db.models, [...ids])) names.set(`${type}:${row.id}`, row.name);
  return names;
}
