import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { SubscriptionStatus } from '../../shared/glossary.js';
import { bigPk, date, flag, intOrNull, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** An information service (newsletter) recipients subscribe to (Adobe's NmsService). */
export class Service extends Model<InferAttributes<Service>, InferCreationAttributes<Service>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare description: CreationOptional<string | null>;
  declare channel: CreationOptional<string>;
  declare doubleOptIn: CreationOptional<boolean>;
  /** Subscriptions end automatically after this many days (null: unlimited). */
  declare validityDays: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class Subscription extends Model<InferAttributes<Subscription>, InferCreationAttributes<Subscription>> {
  declare id: CreationOptional<number>;
  declare serviceId: number;
  declare recipientId: number;
  declare status: SubscriptionStatus;
  declare origin: CreationOptional<string | null>;
  declare confirmedAt: CreationOptional<Date | null>;
  declare expiresAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** Every subscribe and unsubscribe, kept for the subscription reports (Adobe's NmsSubHisto). */
export class SubscriptionHistory extends Model<InferAttributes<SubscriptionHistory>, InferCreationAttributes<SubscriptionHistory>> {
  declare id: CreationOptional<number>;
  declare serviceId: number;
  declare recipientId: number;
  declare action: 'subscribe' | 'unsubscribe' | 'confirm' | 'expire';
  declare origin: CreationOptional<string | null>;
  declare at: Date;
}

export function servicesModels(sequelize: Sequelize) {
  return {
    Service: bind(
      Service,
      {
        id: pk(),
        name: str(100, false),
        label: str(255, false),
        description: text(),
        channel: { ...str(16, false), defaultValue: 'email' },
        doubleOptIn: flag(true),
        validityDays: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'services', ...underscored },
    ),
    Subscription: bind(
      Subscription,
      {
        id: pk(),
        serviceId: { ...intOrNull(), allowNull: false },
        recipientId: { ...intOrNull(), allowNull: false },
        status: str(16, false),
        origin: str(32),
        confirmedAt: date(),
        expiresAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'subscriptions', ...underscored },
    ),
    SubscriptionHistory: bind(
      SubscriptionHistory,
      {
        id: bigPk(),
        serviceId: { ...intOrNull(), allowNull: false },
        recipientId: { ...intOrNull(), allowNull: false },
        action: str(16, false),
        origin: str(32),
        at: date(false),
      },
      { sequelize, tableName: 'subscription_history', ...underscored, timestamps: false },
    ),
  };
}
