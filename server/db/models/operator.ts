import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { ConsoleTheme, NamedRight } from '../../shared/glossary.js';
import { date, flag, intOrNull, json, pk, str, underscored } from './columns.js';
import { bind } from './bind.js';

/** A person who uses the console, with named rights (Adobe's XtkOperator). */
export class Operator extends Model<InferAttributes<Operator>, InferCreationAttributes<Operator>> {
  declare id: CreationOptional<number>;
  declare login: string;
  declare name: CreationOptional<string | null>;
  declare email: CreationOptional<string | null>;
  /** scrypt hash in PHC-like form; never the password. */
  declare passwordHash: string;
  declare rights: NamedRight[];
  declare disabled: CreationOptional<boolean>;
  declare mustChangePassword: CreationOptional<boolean>;
  declare lastLoginAt: CreationOptional<Date | null>;
  /** The console's appearance the operator chose (`light`, `dark`), or null: the browser's setting. */
  declare theme: CreationOptional<ConsoleTheme | null>;
  /** The IANA time zone the console shows dates in, or null: UTC. */
  declare timeZone: CreationOptional<string | null>;
  /** The console's language the operator chose (en, es…), or null: `languages.default`. */
  declare language: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A key for the REST API: only a prefix and a hash of the secret part are stored. */
export class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare prefix: string;
  declare secretHash: string;
  declare scopes: string[];
  declare operatorId: CreationOptional<number | null>;
  declare lastUsedAt: CreationOptional<Date | null>;
  declare expiresAt: CreationOptional<Date | null>;
  declare revokedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export function operatorsModels(sequelize: Sequelize) {
  return {
    Operator: bind(
      Operator,
      {
        id: pk(),
        login: str(64, false),
        name: str(255),
        email: str(320),
        passwordHash: str(255, false),
        rights: json('rights', false),
        disabled: flag(),
        mustChangePassword: flag(),
        lastLoginAt: date(),
        theme: str(8),
        timeZone: str(64),
        language: str(8),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'operators', ...underscored },
    ),
    ApiKey: bind(
      ApiKey,
      {
        id: pk(),
        name: str(100, false),
        prefix: str(16, false),
        secretHash: str(128, false),
        scopes: json('scopes', false),
        operatorId: intOrNull(),
        lastUsedAt: date(),
        expiresAt: date(),
        revokedAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'api_keys', ...underscored },
    ),
  };
}
