import { DataTypes, type ModelAttributes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Content authoring: the format of a delivery's content (HTML or MJML) and the HTML and text the
 * analysis compiled from it (what the MTA sends), reusable content blocks included by reference,
 * the site's own gallery templates (Herald's are files under config/gallery/), and landing pages
 * with their visit and conversion counters. Frozen once released: later changes go in new migrations.
 */

const T = DataTypes;
const pk = () => ({ type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const text = (allowNull = true) => ({ type: T.TEXT, allowNull });
const int = () => ({ type: T.INTEGER, allowNull: false, defaultValue: 0 });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });
const format = () => ({ type: T.STRING(8), allowNull: false, defaultValue: 'html' });

const tables: Array<{ name: string; columns: ModelAttributes; unique: string }> = [
  {
    name: 'content_blocks',
    columns: {
      id: pk(),
      name: str(64, false),
      label: str(255, false),
      format: format(),
      source: text(false),
      updated_by: { type: T.INTEGER, allowNull: true },
      created_at: date(false),
      updated_at: date(false),
    },
    unique: 'name',
  },
  {
    name: 'content_templates',
    columns: {
      id: pk(),
      name: str(64, false),
      label: str(255, false),
      description: str(500),
      format: format(),
      subject: str(998),
      source: text(false),
      text: text(),
      created_by: { type: T.INTEGER, allowNull: true },
      created_at: date(false),
      updated_at: date(false),
    },
    unique: 'name',
  },
  {
    name: 'landing_pages',
    columns: {
      id: pk(),
      slug: str(64, false),
      title: str(255, false),
      format: format(),
      source: text(false),
      compiled_html: text(),
      published_at: date(),
      visits: int(),
      conversions: int(),
      created_by: { type: T.INTEGER, allowNull: true },
      created_at: date(false),
      updated_at: date(false),
    },
    unique: 'slug',
  },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.addColumn('deliveries', 'content_format', format(), { transaction });
  await qi.addColumn('deliveries', 'compiled_html', text(), { transaction });
  await qi.addColumn('deliveries', 'compiled_text', text(), { transaction });
  for (const table of tables) {
    await qi.createTable(table.name, table.columns, { transaction });
    await qi.addIndex(table.name, [table.unique], { unique: true, name: `${table.name}_${table.unique}`, transaction });
  }
}
