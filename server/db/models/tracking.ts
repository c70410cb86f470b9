import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { TrackingUrlType } from '../../shared/glossary.js';
import { bigint, bigPk, date, int, intOrNull, ratio, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** One open or click, ingested from a tracking server's hit log (Adobe's NmsTrackingLogRcp). */
export class TrackingLog extends Model<InferAttributes<TrackingLog>, InferCreationAttributes<TrackingLog>> {
  declare id: CreationOptional<number>;
  /** Unique id given by the tracking server: ingesting a hit twice stores it once. */
  declare hitId: string;
  declare deliveryId: number;
  declare broadLogId: number | null;
  declare recipientId: number | null;
  declare urlId: number | null;
  declare urlType: TrackingUrlType;
  declare loggedAt: Date;
  declare sourceId: CreationOptional<string | null>;
  declare ip: CreationOptional<string | null>;
  declare userAgent: CreationOptional<string | null>;
  /** Why the hit looks automated (privacy proxy, scanner), or null for a human. */
  declare bot: CreationOptional<string | null>;
  declare server: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

/** Hits per tracked URL (links, and opens of the open pixel's URL) per 5-minute slot (Adobe's NmsTrackingStats). */
export class TrackingStat extends Model<InferAttributes<TrackingStat>, InferCreationAttributes<TrackingStat>> {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare urlId: number;
  declare slotStart: Date;
  declare clicks: CreationOptional<number>;
  declare humanClicks: CreationOptional<number>;
}

/** Consolidated tracking indicators of one delivery. */
export class DeliveryIndicator extends Model<InferAttributes<DeliveryIndicator>, InferCreationAttributes<DeliveryIndicator>> {
  declare deliveryId: number;
  declare recipientOpens: CreationOptional<number>;
  declare totalOpens: CreationOptional<number>;
  declare estimatedOpens: CreationOptional<number>;
  declare recipientClicks: CreationOptional<number>;
  declare personClicks: CreationOptional<number>;
  declare totalClicks: CreationOptional<number>;
  declare estimatedForwards: CreationOptional<number>;
  declare optOuts: CreationOptional<number>;
  declare mirrorViews: CreationOptional<number>;
  declare humanOpens: CreationOptional<number>;
  declare humanClicks: CreationOptional<number>;
  /** recipientClicks / recipientOpens (null when nothing was opened). */
  declare rawReactivity: CreationOptional<number | null>;
  /** recipientClicks / estimatedOpens. */
  declare estimatedReactivity: CreationOptional<number | null>;
  /** personClicks / messages sent successfully. */
  declare clickThrough: CreationOptional<number | null>;
  declare computedAt: Date;
}

/** Where the ingest job stopped reading a tracking server's hit log (see server/shared/tracking-protocol/checkpoint.ts). */
export class TrackingCheckpoint extends Model<InferAttributes<TrackingCheckpoint>, InferCreationAttributes<TrackingCheckpoint>> {
  /** The tracking server's base URL, as configured in tracking.servers. */
  declare server: string;
  declare position: string;
  declare updatedAt: Date;
}

export function trackingModels(sequelize: Sequelize) {
  return {
    TrackingLog: bind(
      TrackingLog,
      {
        id: bigPk(),
        hitId: str(64, false),
        deliveryId: { ...intOrNull(), allowNull: false },
        broadLogId: bigint('broadLogId', { allowNull: true }),
        recipientId: intOrNull(),
        urlId: intOrNull(),
        urlType: str(16, false),
        loggedAt: date(false),
        sourceId: str(64),
        ip: str(64),
        userAgent: str(512),
        bot: str(32),
        server: str(100),
        createdAt: date(false),
      },
      { sequelize, tableName: 'tracking_logs', ...underscored, updatedAt: false },
    ),
    TrackingStat: bind(
      TrackingStat,
      {
        id: bigPk(),
        deliveryId: { ...intOrNull(), allowNull: false },
        urlId: { ...intOrNull(), allowNull: false },
        slotStart: date(false),
        clicks: int(),
        humanClicks: int(),
      },
      { sequelize, tableName: 'tracking_stats', ...underscored, timestamps: false },
    ),
    DeliveryIndicator: bind(
      DeliveryIndicator,
      {
        deliveryId: { ...intOrNull(), allowNull: false, primaryKey: true },
        recipientOpens: int(),
        totalOpens: int(),
        estimatedOpens: int(),
        recipientClicks: int(),
        personClicks: int(),
        totalClicks: int(),
        estimatedForwards: int(),
        optOuts: int(),
        mirrorViews: int(),
        humanOpens: int(),
        humanClicks: int(),
        rawReactivity: ratio(),
        estimatedReactivity: ratio(),
        clickThrough: ratio(),
        computedAt: date(false),
      },
      { sequelize, tableName: 'delivery_indicators', ...underscored, timestamps: false },
    ),
    TrackingCheckpoint: bind(
      TrackingCheckpoint,
      {
        server: { ...str(200, false), primaryKey: true },
        position: str(100, false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'tracking_checkpoints', ...underscored, timestamps: false },
    ),
  };
}
