import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bigint, bigPk, date, int, intOrNull, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** A kind of transactional event and the template published for it (Adobe's Message Center event type). */
export class EventType extends Model<InferAttributes<EventType>, InferCreationAttributes<EventType>> {
  declare id: CreationOptional<number>;
  /** What callers send as the event's `type`. */
  declare name: string;
  declare label: string;
  /** The published template (a delivery with is_template, kind transactional); null: not published. */
  declare templateId: CreationOptional<number | null>;
  /** Bumped at each publication: events then go to a new delivery with the new content. */
  declare version: CreationOptional<number>;
  declare publishedAt: CreationOptional<Date | null>;
  declare createdAt: Date;
  declare updatedAt: Date;
}

/** The delivery that carries an event type's messages for one template version and month. */
export class EventDelivery extends Model<InferAttributes<EventDelivery>, InferCreationAttributes<EventDelivery>> {
  declare id: CreationOptional<number>;
  declare eventTypeId: number;
  declare version: number;
  /** `YYYY-MM` (UTC). */
  declare period: string;
  declare deliveryId: number;
  declare createdAt: Date;
}

/** One event received for a transactional message, stored before the API answers. */
export class TransactionalEvent extends Model<InferAttributes<TransactionalEvent>, InferCreationAttributes<TransactionalEvent>> {
  declare id: CreationOptional<number>;
  declare type: string;
  /** The address the message goes to (lower case). */
  declare email: string;
  /** The context data (JSON), available to templates as `event`. */
  declare ctx: string | null;
  /** `routed` (a broad log carries its message) or `not_covered` (no published template). */
  declare status: 'routed' | 'not_covered';
  declare eventTypeId: number | null;
  declare deliveryId: number | null;
  declare broadLogId: number | null;
  /** Who sent it: api, forms, cli. */
  declare origin: string;
  declare apiKeyId: number | null;
  /** `<api key id>:<idempotency key>`: a retried call finds the event it created. */
  declare idempotencyScope: string | null;
  /** SHA-256 of the request, to refuse an idempotency key reused for another event. */
  declare requestHash: string | null;
  declare createdAt: Date;
}

/** A double opt-in request from the subscription form, waiting for its confirmation link. */
export class Signup extends Model<InferAttributes<Signup>, InferCreationAttributes<Signup>> {
  declare id: CreationOptional<number>;
  declare email: string;
  declare firstName: string | null;
  declare lastName: string | null;
  /** The services asked for, as a JSON list of ids. */
  declare serviceIds: string;
  /** The language the form was answered in (ISO 639-1), given to the recipient who has none. */
  declare language: CreationOptional<string | null>;
  declare eventId: number | null;
  declare createdAt: Date;
  declare expiresAt: Date;
  declare confirmedAt: CreationOptional<Date | null>;
}

/** Hits counted per key (e.g. a public form's client address) in a fixed window. */
export class RateLimit extends Model<InferAttributes<RateLimit>, InferCreationAttributes<RateLimit>> {
  declare key: string;
  declare windowStart: Date;
  declare hits: number;
  declare updatedAt: Date;
}

/** Where the webhook collector stopped reading one of its sources. */
export class WebhookCursor extends Model<InferAttributes<WebhookCursor>, InferCreationAttributes<WebhookCursor>> {
  declare source: string;
  declare position: string;
  declare updatedAt: Date;
}

/** One callback to one configured endpoint, with its attempts (the webhook log). */
export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
  declare id: CreationOptional<number>;
  declare endpoint: string;
  declare eventType: string;
  /** The source row the event came from (`<source>:<id>`): an event is queued once per endpoint. */
  declare eventKey: string;
  declare payload: string;
  declare status: 'pending' | 'sent' | 'failed';
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date | null;
  declare lastStatus: CreationOptional<number | null>;
  declare lastError: CreationOptional<string | null>;
  declare sentAt: CreationOptional<Date | null>;
  declare createdAt: Date;
  declare updatedAt: Date;
}

const plain = { ...underscored, timestamps: false } as const;

export function publicModels(sequelize: Sequelize) {
  return {
    EventType: bind(
      EventType,
      {
        id: pk(),
        name: str(64, false),
        label: str(255, false),
        templateId: intOrNull(),
        version: int(),
        publishedAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'event_types', ...plain },
    ),
    EventDelivery: bind(
      EventDelivery,
      {
        id: pk(),
        eventTypeId: { ...intOrNull(), allowNull: false },
        version: int(),
        period: str(7, false),
        deliveryId: { ...intOrNull(), allowNull: false },
        createdAt: date(false),
      },
      { sequelize, tableName: 'event_deliveries', ...plain },
    ),
    TransactionalEvent: bind(
      TransactionalEvent,
      {
        id: bigPk(),
        type: str(64, false),
        email: str(320, false),
        ctx: text(),
        status: str(16, false),
        eventTypeId: intOrNull(),
        deliveryId: intOrNull(),
        broadLogId: bigint('broadLogId', { allowNull: true }),
        origin: str(16, false),
        apiKeyId: intOrNull(),
        idempotencyScope: str(150),
        requestHash: str(64),
        createdAt: date(false),
      },
      { sequelize, tableName: 'events', ...plain },
    ),
    Signup: bind(
      Signup,
      {
        id: pk(),
        email: str(320, false),
        firstName: str(255),
        lastName: str(255),
        serviceIds: text(false),
        language: str(8),
        eventId: bigint('eventId', { allowNull: true }),
        createdAt: date(false),
        expiresAt: date(false),
        confirmedAt: date(),
      },
      { sequelize, tableName: 'signups', ...plain },
    ),
    RateLimit: bind(
      RateLimit,
      { key: { ...str(200, false), primaryKey: true }, windowStart: date(false), hits: int(), updatedAt: date(false) },
      { sequelize, tableName: 'rate_limits', ...plain },
    ),
    WebhookCursor: bind(
      WebhookCursor,
      { source: { ...str(32, false), primaryKey: true }, position: str(100, false), updatedAt: date(false) },
      { sequelize, tableName: 'webhook_cursors', ...plain },
    ),
    WebhookDelivery: bind(
      WebhookDelivery,
      {
        id: bigPk(),
        endpoint: str(100, false),
        eventType: str(32, false),
        eventKey: str(100, false),
        payload: text(false),
        status: str(16, false),
        attempts: int(),
        nextAttemptAt: date(),
        lastStatus: intOrNull(),
        lastError: str(255),
        sentAt: date(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'webhook_deliveries', ...plain },
    ),
  };
}
