import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

/** Attribute helpers shared by the models (the migrations keep their own frozen copies). */
const T = DataTypes;

export const pk = (): ModelAttributeColumnOptions => ({ type: T.INTEGER, primaryKey: true, autoIncrement: true });

/**
 * A BIGINT column read back as a JS number on every dialect (tedious returns SQL Server BIGINT as
 * a string). Safe up to 2^53, far beyond any log table's lifetime.
 */
export const bigint = (name: string, options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions => ({
  type: T.BIGINT,
  ...options,
  get(this: { getDataValue(k: string): unknown }) {
    const v = this.getDataValue(name);
    return v === null || v === undefined ? v : Number(v);
  },
});

export const bigPk = (): ModelAttributeColumnOptions => bigint('id', { primaryKey: true, autoIncrement: true });
export const str = (length: number, allowNull = true): ModelAttributeColumnOptions => ({ type: T.STRING(length), allowNull });
export const text = (allowNull = true): ModelAttributeColumnOptions => ({ type: T.TEXT, allowNull });
export const int = (defaultValue = 0): ModelAttributeColumnOptions => ({ type: T.INTEGER, allowNull: false, defaultValue });
export const intOrNull = (): ModelAttributeColumnOptions => ({ type: T.INTEGER, allowNull: true });
/** A nullable ratio (FLOAT). */
export const ratio = (): ModelAttributeColumnOptions => ({ type: T.FLOAT, allowNull: true });
export const flag = (defaultValue = false): ModelAttributeColumnOptions => ({ type: T.BOOLEAN, allowNull: false, defaultValue });
export const date = (allowNull = true): ModelAttributeColumnOptions => ({ type: T.DATE, allowNull });

/** A TEXT column holding JSON (SQL Server has no JSON type): parsed on read, serialised on write. */
export const json = (name: string, allowNull = true): ModelAttributeColumnOptions => ({
  type: T.TEXT,
  allowNull,
  get(this: { getDataValue(k: string): unknown }) {
    const raw = this.getDataValue(name);
    return typeof raw === 'string' && raw !== '' ? JSON.parse(raw) : null;
  },
  set(this: { setDataValue(k: string, v: unknown): void }, value: unknown) {
    this.setDataValue(name, value === null || value === undefined ? null : JSON.stringify(value));
  },
});

/** Model options every Herald model shares: snake_case columns. */
export const underscored = { underscored: true } as const;
