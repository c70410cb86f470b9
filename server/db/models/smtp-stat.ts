import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigPk, date, int, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** SMTP counters per destination domain and time slot (Adobe's NmsEmailErrorStat, by domain). */
export class SmtpStat extends Model<InferAttributes<SmtpStat>, InferCreationAttributes<SmtpStat>> {
  declare id: CreationOptional<number>;
  declare domain: string;
  declare slotStart: Date;
  declare connections: CreationOptional<number>;
  declare messages: CreationOptional<number>;
  declare sent: CreationOptional<number>;
  declare softErrors: CreationOptional<number>;
  declare hardErrors: CreationOptional<number>;
  declare timeouts: CreationOptional<number>;
  declare refusedConnections: CreationOptional<number>;
  /** Messages whose first attempt reached the server (connection failures excluded). */
  declare firstAttempts: CreationOptional<number>;
  /** Of those, the ones refused with a temporary error. */
  declare firstAttemptErrors: CreationOptional<number>;
  /** Messages accepted on a retry after such a refusal. */
  declare recovered: CreationOptional<number>;
  declare lastResponse: CreationOptional<string | null>;
  declare updatedAt: CreationOptional<Date>;
}

export function smtpStatsModels(sequelize: Sequelize) {
  return {
    SmtpStat: bind(
      SmtpStat,
      {
        id: bigPk(),
        domain: str(255, false),
        slotStart: date(false),
        connections: int(),
        messages: int(),
        sent: int(),
        softErrors: int(),
        hardErrors: int(),
        timeouts: int(),
        refusedConnections: int(),
        firstAttempts: int(),
        firstAttemptErrors: int(),
        recovered: int(),
        lastResponse: text(),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'smtp_stats', ...underscored, createdAt: false },
    ),
  };
}
