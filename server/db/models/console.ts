import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigint, bigPk, date, int, intOrNull, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** A console session: only the SHA-256 of the random session id is stored. */
export class WebSession extends Model<InferAttributes<WebSession>, InferCreationAttributes<WebSession>> {
  declare idHash: string;
  declare operatorId: number;
  declare ip: string | null;
  declare userAgent: string | null;
  declare createdAt: Date;
  declare lastSeenAt: Date;
  /** The absolute end of the session, whatever the activity. */
  declare expiresAt: Date;
}

/** One operator action, kept for the audit log viewer. */
export class AuditEntry extends Model<InferAttributes<AuditEntry>, InferCreationAttributes<AuditEntry>> {
  declare id: CreationOptional<number>;
  declare at: Date;
  declare operatorId: number | null;
  declare operatorLogin: string | null;
  declare action: string;
  declare targetType: string | null;
  declare targetId: string | null;
  /** Small JSON object with what changed (never passwords or message bodies). */
  declare detail: string | null;
  declare ip: string | null;
}

/** Failed logins counted per key (account, account + address, address, device) in a time window. */
export class LoginThrottle extends Model<InferAttributes<LoginThrottle>, InferCreationAttributes<LoginThrottle>> {
  declare key: string;
  declare windowStart: Date;
  declare failures: number;
  declare updatedAt: Date;
}

/** A CSV import started from the console, with its progress and outcome. */
export class ImportJob extends Model<InferAttributes<ImportJob>, InferCreationAttributes<ImportJob>> {
  declare id: CreationOptional<number>;
  declare operatorId: number | null;
  declare fileName: string;
  declare status: 'running' | 'finished' | 'failed';
  declare totalBytes: CreationOptional<number>;
  declare bytes: CreationOptional<number>;
  declare rows: CreationOptional<number>;
  declare inserted: CreationOptional<number>;
  declare updated: CreationOptional<number>;
  declare rejected: CreationOptional<number>;
  declare error: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare finishedAt: CreationOptional<Date | null>;
  /** The list the imported recipients are added to, the service they are subscribed to (none: null). */
  declare listId: CreationOptional<number | null>;
  declare serviceId: CreationOptional<number | null>;
}

export function consoleModels(sequelize: Sequelize) {
  return {
    WebSession: bind(
      WebSession,
      {
        idHash: { ...str(64, false), primaryKey: true },
        operatorId: { ...intOrNull(), allowNull: false },
        ip: str(64),
        userAgent: str(255),
        createdAt: date(false),
        lastSeenAt: date(false),
        expiresAt: date(false),
      },
      { sequelize, tableName: 'web_sessions', ...underscored, timestamps: false },
    ),
    AuditEntry: bind(
      AuditEntry,
      {
        id: bigPk(),
        at: date(false),
        operatorId: intOrNull(),
        operatorLogin: str(64),
        action: str(40, false),
        targetType: str(32),
        targetId: str(64),
        detail: text(),
        ip: str(64),
      },
      { sequelize, tableName: 'audit_log', ...underscored, timestamps: false },
    ),
    LoginThrottle: bind(
      LoginThrottle,
      { key: { ...str(200, false), primaryKey: true }, windowStart: date(false), failures: int(), updatedAt: date(false) },
      { sequelize, tableName: 'login_throttles', ...underscored, timestamps: false },
    ),
    ImportJob: bind(
      ImportJob,
      {
        id: pk(),
        operatorId: intOrNull(),
        fileName: str(255, false),
        status: str(16, false),
        totalBytes: bigint('totalBytes', { allowNull: false, defaultValue: 0 }),
        bytes: bigint('bytes', { allowNull: false, defaultValue: 0 }),
        rows: int(),
        inserted: int(),
        updated: int(),
        rejected: int(),
        error: str(255),
        createdAt: date(false),
        updatedAt: date(false),
        finishedAt: date(),
        listId: intOrNull(),
        serviceId: intOrNull(),
      },
      { sequelize, tableName: 'import_jobs', ...underscored },
    ),
  };
}
