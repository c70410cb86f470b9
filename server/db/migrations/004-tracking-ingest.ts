import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Tracking ingestion: where the ingest job stopped reading each tracking server's hit log (so a
 * run commits its hits and its checkpoint together), and the ratio indicators of a delivery
 * (stored so reports never recompute them from raw logs). Frozen once released.
 */

const T = DataTypes;

export const tables = [
  {
    name: 'tracking_checkpoints',
    columns: {
      server: { type: T.STRING(200), primaryKey: true, allowNull: false },
      position: { type: T.STRING(100), allowNull: false },
      updated_at: { type: T.DATE, allowNull: false },
    },
  },
] as const;

const RATIO_COLUMNS = ['raw_reactivity', 'estimated_reactivity', 'click_through'] as const;

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of tables) await qi.createTable(table.name, table.columns, { transaction });
  for (const column of RATIO_COLUMNS) await qi.addColumn('delivery_indicators', column, { type: T.FLOAT, allowNull: true }, { transaction });
}
