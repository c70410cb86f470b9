import { Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { FailureReason, FailureType } from '../../shared/glossary.js';
import { date, int, intOrNull, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** Failed messages of a delivery per recipient domain, failure type and reason (refreshed by the reportStats workflow). */
export class DeliveryFailureStat extends Model<InferAttributes<DeliveryFailureStat>, InferCreationAttributes<DeliveryFailureStat>> {
  declare deliveryId: number;
  declare domain: string;
  declare failureType: FailureType;
  declare failureReason: FailureReason;
  declare messages: number;
  declare computedAt: Date;
}

/** Subscription events of a service in one UTC quarter hour (refreshed by the reportStats workflow; reports fold them into local days). */
export class SubscriptionSlotStat extends Model<InferAttributes<SubscriptionSlotStat>, InferCreationAttributes<SubscriptionSlotStat>> {
  declare serviceId: number;
  /** `YYYY-MM-DD HH:MM`, the quarter hour's start (UTC). */
  declare slot: string;
  declare subscribed: number;
  declare confirmed: number;
  declare unsubscribed: number;
  declare expired: number;
  declare computedAt: Date;
}

export function reportStatsModels(sequelize: Sequelize) {
  return {
    DeliveryFailureStat: bind(
      DeliveryFailureStat,
      {
        deliveryId: { ...intOrNull(), allowNull: false, primaryKey: true },
        domain: { ...str(255, false), primaryKey: true },
        failureType: { ...str(16, false), primaryKey: true },
        failureReason: { ...str(32, false), primaryKey: true },
        messages: int(),
        computedAt: date(false),
      },
      { sequelize, tableName: 'delivery_failure_stats', ...underscored, timestamps: false },
    ),
    SubscriptionSlotStat: bind(
      SubscriptionSlotStat,
      {
        serviceId: { ...intOrNull(), allowNull: false, primaryKey: true },
        slot: { ...str(16, false), primaryKey: true },
        subscribed: int(),
        confirmed: int(),
        unsubscribed: int(),
        expired: int(),
        computedAt: date(false),
      },
      { sequelize, tableName: 'subscription_slot_stats', ...underscored, timestamps: false },
    ),
  };
}
