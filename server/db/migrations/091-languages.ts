import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Languages (ISO 639-1 codes, checked by the application): an operator's console and a recipient's
 * public pages and system mails. NULL: the operator's or recipient's language is not known (the
 * browser's Accept-Language, else `languages.default`). Frozen once released: later changes go in
 * new migrations.
 */
export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of ['operators', 'recipients']) await qi.addColumn(table, 'language', { type: DataTypes.STRING(8), allowNull: true }, { transaction });
}
