import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { RoutedChannel } from '../../shared/glossary.js';
import { date, int, pk, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** preparing: messages claimed, file being written; written: in the spool, messages sent; uploaded: on the provider's server. */
export type ExtractionStatus = 'preparing' | 'written' | 'uploaded';

/** One extraction file of a direct mail or fax delivery (see migration 053). */
export class RoutingExtraction extends Model<InferAttributes<RoutingExtraction>, InferCreationAttributes<RoutingExtraction>> {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare channel: RoutedChannel;
  declare provider: string;
  declare fileName: CreationOptional<string | null>;
  declare status: ExtractionStatus;
  declare messages: CreationOptional<number>;
  declare messageCost: CreationOptional<number>;
  declare deliveryCost: CreationOptional<number>;
  declare currency: string;
  declare error: CreationOptional<string | null>;
  declare createdAt: Date;
  declare writtenAt: CreationOptional<Date | null>;
  declare uploadedAt: CreationOptional<Date | null>;
}

/** One provider return file imported. */
export class RoutingReturn extends Model<InferAttributes<RoutingReturn>, InferCreationAttributes<RoutingReturn>> {
  declare id: CreationOptional<number>;
  declare provider: string;
  declare fileName: string;
  declare rowsRead: CreationOptional<number>;
  declare applied: CreationOptional<number>;
  declare unchanged: CreationOptional<number>;
  declare rejected: CreationOptional<number>;
  declare importedAt: Date;
}

const cost = () => ({ type: DataTypes.FLOAT, allowNull: false, defaultValue: 0 });

export function routingModels(sequelize: Sequelize) {
  return {
    RoutingExtraction: bind(
      RoutingExtraction,
      {
        id: pk(),
        deliveryId: { ...int(), defaultValue: undefined },
        channel: str(16, false),
        provider: str(64, false),
        fileName: str(255),
        status: str(16, false),
        messages: int(),
        messageCost: cost(),
        deliveryCost: cost(),
        currency: str(3, false),
        error: str(1000),
        createdAt: date(false),
        writtenAt: date(),
        uploadedAt: date(),
      },
      { sequelize, tableName: 'routing_extractions', ...underscored, timestamps: false },
    ),
    RoutingReturn: bind(
      RoutingReturn,
      {
        id: pk(),
        provider: str(64, false),
        fileName: str(255, false),
        rowsRead: int(),
        applied: int(),
        unchanged: int(),
        rejected: int(),
        importedAt: date(false),
      },
      { sequelize, tableName: 'routing_returns', ...underscored, timestamps: false },
    ),
  };
}
