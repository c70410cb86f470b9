import { literal } from 'sequelize';
import type { Database } from '../connect.js';
import type { LandingPageRow } from '../models/index.js';
import { auditIn, type AuditInput } from './audit.js';

/** Landing pages: the console edits and publishes them, the web module serves /l/<slug> and counts. */

export interface LandingPageValues {
  slug: string;
  title: string;
  format: 'html' | 'mjml';
  source: string;
}

export interface LandingPage extends LandingPageValues {
  id: number;
  compiledHtml: string | null;
  publishedAt: Date | null;
  visits: number;
  conversions: number;
  updatedAt: Date;
}

const plain = (p: LandingPageRow): LandingPage => ({
  id: p.id,
  slug: p.slug,
  title: p.title,
  format: p.format,
  source: p.source,
  compiledHtml: p.compiledHtml,
  publishedAt: p.publishedAt,
  visits: p.visits,
  conversions: p.conversions,
  updatedAt: p.updatedAt,
});

export async function landingPages(db: Database): Promise<LandingPage[]> {
  const { LandingPageRow } = db.models;
  return (await LandingPageRow.findAll({ order: [['id', 'DESC']] })).map(plain);
}

export async function findLandingPage(db: Database, id: number): Promise<LandingPage | undefined> {
  const { LandingPageRow } = db.models;
  const p = await LandingPageRow.findByPk(id);
  return p ? plain(p) : undefined;
}

export async function findLandingPageBySlug(db: Database, slug: string): Promise<LandingPage | undefined> {
  const { LandingPageRow } = db.models;
  const p = await LandingPageRow.findOne({ where: { slug } });
  return p ? plain(p) : undefined;
}

/** Creates a page (id undefined) or changes one; its published HTML stays until it is published again. */
export async function saveLandingPage(db: Database, id: number | undefined, values: LandingPageValues, audit: AuditInput): Promise<number> {
  const { LandingPageRow } = db.models;
  return db.write(async (transaction) => {
    const at = audit.at;
    let pageId = id;
    if (pageId === undefined)
      pageId = (await LandingPageRow.create({ ...values, createdBy: audit.operatorId, createdAt: at, updatedAt: at }, { transaction })).id;
    else await LandingPageRow.update({ ...values, updatedAt: at }, { where: { id: pageId }, transaction });
    await auditIn(db, transaction, { ...audit, targetType: 'landing_page', targetId: pageId, detail: { slug: values.slug } });
    return pageId;
  });
}

/** Publishes the HTML compiled from the page's source (or withdraws the page with null). */
export async function publishLandingPage(db: Database, id: number, html: string | null, audit: AuditInput): Promise<void> {
  const { LandingPageRow } = db.models;
  await db.write(async (transaction) => {
    await LandingPageRow.update({ compiledHtml: html, publishedAt: html === null ? null : audit.at }, { where: { id }, transaction });
    await auditIn(db, transaction, { ...audit, targetType: 'landing_page', targetId: id, detail: { published: html !== null } });
  });
}

/** One visit, or one conversion (a form of the page sent successfully): a single UPDATE each. */
export async function countLandingPage(db: Database, id: number, what: 'visits' | 'conversions'): Promise<void> {
  const { LandingPageRow } = db.models;
  await db.write((transaction) => LandingPageRow.update({ [what]: literal(`${what} + 1`) }, { where: { id }, transaction, silent: true }));
}
