import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { EmailFormat } from '../../shared/glossary.js';
import { date, flag, json, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** A profile: one person that deliveries target (Adobe's NmsRecipient). */
export class Recipient extends Model<InferAttributes<Recipient>, InferCreationAttributes<Recipient>> {
  declare id: CreationOptional<number>;
  declare email: string;
  declare firstName: string | null;
  declare lastName: string | null;
  declare emailFormat: CreationOptional<EmailFormat>;
  /** Custom fields (name → value), stored as JSON text. */
  declare fields: CreationOptional<Record<string, string> | null>;
  /** Opt-out from every channel (Adobe's iBlackList). */
  declare denylisted: CreationOptional<boolean>;
  /** Opt-out from email only. */
  declare denylistedEmail: CreationOptional<boolean>;
  /** Mobile number in E.164 (`+33612345678`), checked on the way in. */
  declare mobile: CreationOptional<string | null>;
  /** Fax number in E.164. */
  declare fax: CreationOptional<string | null>;
  /** Postal address (direct mail). */
  declare addressLine1: CreationOptional<string | null>;
  declare addressLine2: CreationOptional<string | null>;
  declare postalCode: CreationOptional<string | null>;
  declare city: CreationOptional<string | null>;
  /** ISO 3166 alpha-2 country of the postal address. */
  declare country: CreationOptional<string | null>;
  /** Opt-outs from one channel each (SMS, push, direct mail, fax). */
  declare denylistedSms: CreationOptional<boolean>;
  declare denylistedPush: CreationOptional<boolean>;
  declare denylistedPostal: CreationOptional<boolean>;
  declare denylistedFax: CreationOptional<boolean>;
  declare erasedAt: CreationOptional<Date | null>;
  /** The recipient's IANA time zone (a delivery sent at a local time uses it), or null: by country, else the delivery's. */
  declare timeZone: CreationOptional<string | null>;
  /** The recipient's language (en, es…) for public pages and system mails, or null: the browser's, else `languages.default`. */
  declare language: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A static list of recipients (Adobe's NmsGroup). */
export class List extends Model<InferAttributes<List>, InferCreationAttributes<List>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare description: string | null;
  declare expiresAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class ListMember extends Model<InferAttributes<ListMember>, InferCreationAttributes<ListMember>> {
  declare listId: number;
  declare recipientId: number;
  declare createdAt: CreationOptional<Date>;
}

export function recipientsModels(sequelize: Sequelize) {
  return {
    Recipient: bind(
      Recipient,
      {
        id: pk(),
        email: str(320, false),
        firstName: str(255),
        lastName: str(255),
        emailFormat: { ...str(8, false), defaultValue: 'html' },
        fields: json('fields'),
        denylisted: flag(),
        denylistedEmail: flag(),
        mobile: str(16),
        fax: str(16),
        addressLine1: str(255),
        addressLine2: str(255),
        postalCode: str(16),
        city: str(100),
        country: str(2),
        denylistedSms: flag(),
        denylistedPush: flag(),
        denylistedPostal: flag(),
        denylistedFax: flag(),
        erasedAt: date(),
        timeZone: str(64),
        language: str(8),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'recipients', ...underscored, indexes: [{ fields: ['email'], unique: true }] },
    ),
    List: bind(
      List,
      { id: pk(), name: str(100, false), label: str(255, false), description: text(), expiresAt: date(), createdAt: date(false), updatedAt: date(false) },
      { sequelize, tableName: 'lists', ...underscored },
    ),
    ListMember: bind(
      ListMember,
      {
        listId: { type: pk().type, primaryKey: true },
        recipientId: { type: pk().type, primaryKey: true },
        createdAt: date(false),
      },
      { sequelize, tableName: 'list_members', ...underscored, updatedAt: false },
    ),
  };
}
