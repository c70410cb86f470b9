import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigint, date, intOrNull, str } from './columns.js';
import { bind } from './bind.js';

/** Pacing state of one throttle key (a domain or a shared rule), shared by MTA processes. */
export class MtaThrottle extends Model<InferAttributes<MtaThrottle>, InferCreationAttributes<MtaThrottle>> {
  declare key: string;
  /** Theoretical arrival time of the next message, epoch ms (see server/shared/gcra.ts). */
  declare tatMs: CreationOptional<number>;
  /** Sending to this key is blocked until this epoch ms (error-rate block). */
  declare blockedUntilMs: CreationOptional<number>;
  declare blockReason: CreationOptional<string | null>;
  /** When the current block began, epoch ms (0: never blocked). */
  declare blockedAtMs: CreationOptional<number>;
  /** When an operator last lifted a block, epoch ms (0: never). */
  declare unblockedAtMs: CreationOptional<number>;
  declare updatedAt: CreationOptional<Date>;
}

/** A running MTA process; live ones (recently seen) share each domain's connection limit. */
export class MtaInstance extends Model<InferAttributes<MtaInstance>, InferCreationAttributes<MtaInstance>> {
  declare id: string;
  declare host: string;
  declare pid: number;
  declare startedAt: Date;
  declare lastSeenAt: Date;
}

export function mtaModels(sequelize: Sequelize) {
  return {
    MtaThrottle: bind(
      MtaThrottle,
      {
        key: { ...str(255, false), primaryKey: true },
        tatMs: bigint('tatMs', { allowNull: false, defaultValue: 0 }),
        blockedUntilMs: bigint('blockedUntilMs', { allowNull: false, defaultValue: 0 }),
        blockReason: str(255),
        blockedAtMs: bigint('blockedAtMs', { allowNull: false, defaultValue: 0 }),
        unblockedAtMs: bigint('unblockedAtMs', { allowNull: false, defaultValue: 0 }),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'mta_throttle', underscored: true, createdAt: false },
    ),
    MtaInstance: bind(
      MtaInstance,
      {
        id: { ...str(64, false), primaryKey: true },
        host: str(255, false),
        pid: { ...intOrNull(), allowNull: false },
        startedAt: date(false),
        lastSeenAt: date(false),
      },
      { sequelize, tableName: 'mta_instances', underscored: true, timestamps: false },
    ),
  };
}
