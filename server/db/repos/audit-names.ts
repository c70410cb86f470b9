import { Op } from 'sequelize';
import type { Database } from '../connect.js';
import { BounceText, Delivery, ImportJob, List, Operator, Recipient, Service, Workflow } from '../models/index.js';

/**
 * Names of the objects an audit page mentions (`<type>:<id>` → name), read in one query per type
 * for the page's rows only: recipients by address, operators by login, the others by label.
 */
export type AuditRef = { type: string; id: number };

interface Source {
  find(ids: number[]): Promise<Array<{ id: number; name: string }>>;
}

const by = <M extends { id: number }>(rows: M[], name: (m: M) => string) => rows.map((m) => ({ id: m.id, name: name(m) }));
const where = (ids: number[]) => ({ where: { id: { [Op.in]: ids } } });

const SOURCES: Record<string, Source> = {
  recipient: { find: async (ids) => by(await Recipient.findAll({ attributes: ['id', 'email'], ...where(ids) }), (r) => r.email) },
  operator: { find: async (ids) => by(await Operator.findAll({ attributes: ['id', 'login'], ...where(ids) }), (o) => o.login) },
  service: { find: async (ids) => by(await Service.findAll({ attributes: ['id', 'label'], ...where(ids) }), (s) => s.label) },
  list: { find: async (ids) => by(await List.findAll({ attributes: ['id', 'label'], ...where(ids) }), (l) => l.label) },
  delivery: { find: async (ids) => by(await Delivery.findAll({ attributes: ['id', 'label'], ...where(ids) }), (d) => d.label) },
  workflow: { find: async (ids) => by(await Workflow.findAll({ attributes: ['id', 'label'], ...where(ids) }), (w) => w.label) },
  import: { find: async (ids) => by(await ImportJob.findAll({ attributes: ['id', 'fileName'], ...where(ids) }), (j) => j.fileName) },
  bounce_text: { find: async (ids) => by(await BounceText.findAll({ attributes: ['id', 'firstText'], ...where(ids) }), (b) => b.firstText.slice(0, 80)) },
};

export async function auditTargetNames(_db: Database, refs: readonly AuditRef[]): Promise<Map<string, string>> {
  const byType = new Map<string, Set<number>>();
  for (const r of refs) if (SOURCES[r.type] && Number.isSafeInteger(r.id)) byType.set(r.type, (byType.get(r.type) ?? new Set()).add(r.id));
  const names = new Map<string, string>();
  for (const [type, ids] of byType) for (const row of await SOURCES[type]!.find([...ids])) names.set(`${type}:${row.id}`, row.name);
  return names;
}
