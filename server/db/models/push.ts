import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { date, int, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

export type PushSubscriptionStatus = 'active' | 'expired';

/** A browser a recipient subscribed to web push from (its push service endpoint and keys). */
export class PushSubscription extends Model<InferAttributes<PushSubscription>, InferCreationAttributes<PushSubscription>> {
  declare id: CreationOptional<number>;
  declare recipientId: number;
  declare endpoint: string;
  /** SHA-256 of the endpoint, hex: the unique key. */
  declare endpointHash: string;
  /** The subscription's P-256 public key (65 octets, base64url). */
  declare p256dh: string;
  /** The subscription's auth secret (16 octets, base64url). */
  declare auth: string;
  declare status: CreationOptional<PushSubscriptionStatus>;
  declare failureText: CreationOptional<string | null>;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function pushModels(sequelize: Sequelize) {
  return {
    PushSubscription: bind(
      PushSubscription,
      {
        id: pk(),
        recipientId: { ...int(), defaultValue: undefined },
        endpoint: text(false),
        endpointHash: str(64, false),
        p256dh: str(100, false),
        auth: str(40, false),
        status: { ...str(16, false), defaultValue: 'active' },
        failureText: str(255),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'push_subscriptions', ...underscored },
    ),
  };
}
