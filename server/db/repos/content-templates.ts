import type { Database } from '../connect.js';
import type { ContentTemplateRow } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

/** The gallery templates the site added (Herald's own are files: server/delivery/source/gallery.ts). */

export interface TemplateValues {
  name: string;
  label: string;
  description: string | null;
  format: 'html' | 'mjml';
  subject: string | null;
  source: string;
  text: string | null;
}

const plain = (t: ContentTemplateRow): TemplateValues & { id: number } => ({
  id: t.id,
  name: t.name,
  label: t.label,
  description: t.description,
  format: t.format,
  subject: t.subject,
  source: t.source,
  text: t.text,
});

export async function siteTemplates(db: Database): Promise<Array<TemplateValues & { id: number }>> {
  const { ContentTemplateRow } = db.models;
  return (await ContentTemplateRow.findAll({ order: [['label', 'ASC']] })).map(plain);
}

export async function findSiteTemplate(db: Database, name: string): Promise<(TemplateValues & { id: number }) | undefined> {
  const { ContentTemplateRow } = db.models;
  const t = await ContentTemplateRow.findOne({ where: { name } });
  return t ? plain(t) : undefined;
}

/** Adds a template to the gallery, or replaces the site's template of that name. */
export async function saveSiteTemplate(db: Database, values: TemplateValues, audit: AuditInput): Promise<void> {
  const { ContentTemplateRow } = db.models;
  await db.write(async (transaction) => {
    const found = await ContentTemplateRow.findOne({ where: { name: values.name }, transaction });
    const at = audit.at;
    const row = found
      ? await found.update({ ...values, updatedAt: at }, { transaction })
      : await ContentTemplateRow.create({ ...values, createdBy: audit.operatorId, createdAt: at, updatedAt: at }, { transaction });
    await auditIn(db, transaction, { ...audit, targetType: 'content_template', targetId: row.id, detail: { name: values.name, created: !found } });
  });
}
