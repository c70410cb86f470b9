import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Operators' qualifications of bounce texts, kept as rules with their sample: each matches one
 * normalized text exactly (see server/bounce/operator-rules.ts) and is applied by the MTA and
 * inMail to later messages. Frozen once released.
 */
const T = DataTypes;

export const tables = ['bounce_rules'];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  await qi.createTable(
    'bounce_rules',
    {
      id: { type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      text_hash: { type: T.STRING(64), allowNull: false },
      normalized_text: { type: T.TEXT, allowNull: false },
      sample: { type: T.TEXT, allowNull: false },
      failure_type: { type: T.STRING(16), allowNull: false },
      failure_reason: { type: T.STRING(32), allowNull: false },
      bounce_text_id: { type: T.INTEGER, allowNull: true },
      created_by: { type: T.STRING(100), allowNull: true },
      created_at: { type: T.DATE, allowNull: false },
      updated_at: { type: T.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('bounce_rules', ['text_hash'], { name: 'bounce_rules_text_hash', unique: true, transaction });
}
