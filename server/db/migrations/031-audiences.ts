import { DataTypes, Op, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Audiences: saved segments (named recipient conditions, reusable as delivery and workflow
 * targets), the custom fields known to the filter picker (backfilled from the recipients' `fields`
 * here, kept up to date by every recipient write), bulk actions on a filtered selection run in
 * background batches with their progress, and the list / service an import feeds.
 */

const T = DataTypes;

/** The tables this migration creates. */
export const tables = ['segments', 'custom_fields', 'bulk_actions'] as const;
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });
const count = () => ({ type: T.INTEGER, allowNull: false, defaultValue: 0 });
const BACKFILL_PAGE = 2000;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'segments',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      name: str(100, false),
      label: str(200, false),
      description: { type: T.TEXT, allowNull: true },
      condition: { type: T.TEXT, allowNull: false },
      created_at: date(false),
      updated_at: date(false),
    },
    { transaction },
  );
  await qi.addIndex('segments', ['name'], { unique: true, name: 'segments_name', transaction });

  await qi.createTable(
    'custom_fields',
    {
      name: { type: T.STRING(64), primaryKey: true, allowNull: false },
      created_at: date(false),
    },
    { transaction },
  );

  await qi.createTable(
    'bulk_actions',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      operator_id: { type: T.INTEGER, allowNull: true },
      action: str(24, false),
      condition: { type: T.TEXT, allowNull: false },
      segment_id: { type: T.INTEGER, allowNull: true },
      list_id: { type: T.INTEGER, allowNull: true },
      service_id: { type: T.INTEGER, allowNull: true },
      status: str(16, false),
      total: count(),
      done: count(),
      affected: count(),
      last_id: count(),
      error: str(500),
      created_at: date(false),
      updated_at: date(false),
      finished_at: date(),
    },
    { transaction },
  );
  await qi.addIndex('bulk_actions', ['status'], { name: 'bulk_actions_status', transaction });

  await qi.addColumn('import_jobs', 'list_id', { type: T.INTEGER, allowNull: true }, { transaction });
  await qi.addColumn('import_jobs', 'service_id', { type: T.INTEGER, allowNull: true }, { transaction });

  await backfillCustomFields(qi, transaction);
}

/** The custom fields recipients already have, read page by page (memory stays flat). */
export async function backfillCustomFields(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  const seen = new Set<string>();
  for (let after = 0; ;) {
    const page = { attributes: ['id', 'fields'], where: { id: { [Op.gt]: after }, fields: { [Op.ne]: null } }, order: [['id', 'ASC']], limit: BACKFILL_PAGE };
    const rows = (await qi.select(null, 'recipients', { ...page, transaction } as never)) as unknown as Array<{ id: number | string; fields: string | null }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      try {
        const value: unknown = JSON.parse(row.fields ?? 'null');
        if (value && typeof value === 'object') for (const key of Object.keys(value)) if (FIELD_NAME.test(key)) seen.add(key);
      } catch {
        // a row whose fields are not JSON has no custom field to offer
      }
    }
    after = Number(rows[rows.length - 1]!.id);
  }
  if (seen.size)
    await qi.bulkInsert(
      'custom_fields',
      [...seen].map((name) => ({ name, created_at: new Date() })),
      { transaction },
    );
}
