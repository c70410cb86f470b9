import { Sequelize } from 'sequelize';
import type { Database } from '../../server/db/connect.js';
import { defineModels } from '../../server/db/models/index.js';

/**
 * A SQL Server "database" that never connects: every statement Sequelize would send is recorded
 * instead of executed (queries return no rows). Used to pin the T-SQL of migrations and hot queries
 * in snapshots, since no SQL Server can run on the build machine.
 */
export interface MssqlCapture {
  db: Database;
  /** Statements recorded since the last take(), as text with their bind parameters. */
  take(): string;
  restore(): void;
}

type QueryProto = { sql?: string; run: (sql: string, parameters?: unknown) => Promise<unknown>; formatResults(rows: unknown[], rowCount: number): unknown };

export function captureMssql(): MssqlCapture {
  const sequelize = new Sequelize({ dialect: 'mssql', host: 'capture.invalid', database: 'herald', username: 'herald', password: 'x', logging: false });
  const models = defineModels(sequelize);
  const statements: string[] = [];
  const manager = sequelize.connectionManager as unknown as { getConnection(): Promise<unknown>; releaseConnection(): Promise<void> };
  manager.getConnection = async () => ({ capture: true });
  manager.releaseConnection = async () => undefined;
  const proto = (sequelize as unknown as { dialect: { Query: { prototype: QueryProto } } }).dialect.Query.prototype;
  const original = proto.run;
  proto.run = async function (this: QueryProto, sql: string, parameters?: unknown) {
    const bind = parameters && Object.keys(parameters).length ? `\n-- bind: ${JSON.stringify(parameters)}` : '';
    statements.push(`${sql.trim()}${bind}`);
    this.sql = sql;
    return this.formatResults([], 0);
  };
  return {
    db: {
      sequelize,
      dialect: 'mssql',
      models,
      write: (fn) => sequelize.transaction((t) => fn(t)),
      close: async () => undefined,
    },
    take() {
      const out = statements.join('\n\n') + '\n';
      statements.length = 0;
      return out;
    },
    restore() {
      proto.run = original;
    },
  };
}
