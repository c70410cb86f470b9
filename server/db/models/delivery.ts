import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Channel, DeliveryKind, DeliveryState, TrackingUrlType } from '../../shared/glossary.js';
import { date, flag, int, intOrNull, json, pk, str, text, underscored } from './columns.js';
import { bind } from './bind.js';

/** A delivery or a delivery template (Adobe's NmsDelivery): content, target, state and counters. */
export class Delivery extends Model<InferAttributes<Delivery>, InferCreationAttributes<Delivery>> {
  declare id: CreationOptional<number>;
  declare internalName: string;
  declare label: string;
  declare isTemplate: CreationOptional<boolean>;
  declare templateId: CreationOptional<number | null>;
  declare kind: CreationOptional<DeliveryKind>;
  /** The channel its messages go out on (email unless said otherwise). */
  declare channel: CreationOptional<Channel>;
  declare state: CreationOptional<DeliveryState>;
  declare subject: CreationOptional<string | null>;
  declare fromName: CreationOptional<string | null>;
  declare fromAddress: CreationOptional<string | null>;
  declare replyTo: CreationOptional<string | null>;
  /** What `html` holds: HTML or MJML, either with content block references. */
  declare contentFormat: CreationOptional<'html' | 'mjml'>;
  declare html: CreationOptional<string | null>;
  declare text: CreationOptional<string | null>;
  /** The HTML and text the analysis compiled from the content (blocks included, MJML compiled): what is sent. */
  declare compiledHtml: CreationOptional<string | null>;
  declare compiledText: CreationOptional<string | null>;
  /** Extra headers (name → template), JSON. */
  declare headers: CreationOptional<Record<string, string> | null>;
  /** Target definition (service, list or filter), JSON. */
  declare target: CreationOptional<unknown>;
  /** Exclusion settings, JSON. */
  declare exclusions: CreationOptional<unknown>;
  /** The service a marketing message unsubscribes from (null: unsubscribe from all). */
  declare serviceId: CreationOptional<number | null>;
  declare trackingEnabled: CreationOptional<boolean>;
  declare openTracking: CreationOptional<boolean>;
  declare scheduledAt: CreationOptional<Date | null>;
  declare validityEnd: CreationOptional<Date | null>;
  /** The delivery's IANA time zone (its schedule is entered in it; recipients without a zone of their own take it), or null: UTC. */
  declare timeZone: CreationOptional<string | null>;
  /** `HH:MM`: each message is sent at the next such time in its recipient's zone after the start; null: as soon as possible. */
  declare localSendTime: CreationOptional<string | null>;
  /** A push delivery's own fields (title, body, page, icon, image, TTL, urgency), JSON; null: sent from the subject and text part. */
  declare pushContent: CreationOptional<unknown>;
  declare webValidityEnd: CreationOptional<Date | null>;
  declare analysedAt: CreationOptional<Date | null>;
  declare startedAt: CreationOptional<Date | null>;
  declare finishedAt: CreationOptional<Date | null>;
  /** When it was last paused (a resume plans again the local send times that passed meanwhile). */
  declare pausedAt: CreationOptional<Date | null>;
  declare totalTarget: CreationOptional<number>;
  declare excluded: CreationOptional<number>;
  declare toDeliver: CreationOptional<number>;
  declare processed: CreationOptional<number>;
  declare sent: CreationOptional<number>;
  declare failed: CreationOptional<number>;
  declare newQuarantine: CreationOptional<number>;
  /** Spam complaints drawn by its messages (they stay sent: a complaint is not a failure). */
  declare complaints: CreationOptional<number>;
  /** Analysis result: counters by exclusion reason and control-rule messages, JSON. */
  declare analysis: CreationOptional<unknown>;
  declare lastError: CreationOptional<string | null>;
  declare createdBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** One tracked link of a delivery (Adobe's NmsTrackingUrl). */
export class TrackingUrl extends Model<InferAttributes<TrackingUrl>, InferCreationAttributes<TrackingUrl>> {
  declare id: CreationOptional<number>;
  declare deliveryId: number;
  declare type: TrackingUrlType;
  declare url: string;
  declare label: CreationOptional<string | null>;
  declare category: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export function deliveriesModels(sequelize: Sequelize) {
  return {
    Delivery: bind(
      Delivery,
      {
        id: pk(),
        internalName: str(100, false),
        label: str(255, false),
        isTemplate: flag(),
        templateId: intOrNull(),
        kind: { ...str(16, false), defaultValue: 'marketing' },
        channel: { ...str(16, false), defaultValue: 'email' },
        state: { ...str(24, false), defaultValue: 'editing' },
        subject: text(),
        fromName: str(255),
        fromAddress: str(320),
        replyTo: str(320),
        contentFormat: { ...str(8, false), defaultValue: 'html' },
        html: text(),
        text: text(),
        compiledHtml: text(),
        compiledText: text(),
        headers: json('headers'),
        target: json('target'),
        exclusions: json('exclusions'),
        serviceId: intOrNull(),
        trackingEnabled: flag(true),
        openTracking: flag(true),
        scheduledAt: date(),
        validityEnd: date(),
        timeZone: str(64),
        localSendTime: str(5),
        pushContent: json('pushContent'),
        webValidityEnd: date(),
        analysedAt: date(),
        startedAt: date(),
        finishedAt: date(),
        pausedAt: date(),
        totalTarget: int(),
        excluded: int(),
        toDeliver: int(),
        processed: int(),
        sent: int(),
        failed: int(),
        newQuarantine: int(),
        complaints: int(),
        analysis: json('analysis'),
        lastError: text(),
        createdBy: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'deliveries', ...underscored },
    ),
    TrackingUrl: bind(
      TrackingUrl,
      {
        id: pk(),
        deliveryId: { ...intOrNull(), allowNull: false },
        type: str(16, false),
        url: text(false),
        label: str(255),
        category: str(64),
        createdAt: date(false),
      },
      { sequelize, tableName: 'tracking_urls', ...underscored, updatedAt: false },
    ),
  };
}
