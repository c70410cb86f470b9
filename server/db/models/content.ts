import { Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bind } from './bind.js';
import { date, int, intOrNull, pk, str, text, underscored } from './columns.js';

type Format = 'html' | 'mjml';

/** A reusable content block (header, footer, social links…), included by reference. */
export class ContentBlockRow extends Model<InferAttributes<ContentBlockRow>, InferCreationAttributes<ContentBlockRow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare format: Format;
  declare source: string;
  declare updatedBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A gallery template the site added (Herald's own are files under config/gallery/). */
export class ContentTemplateRow extends Model<InferAttributes<ContentTemplateRow>, InferCreationAttributes<ContentTemplateRow>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare label: string;
  declare description: CreationOptional<string | null>;
  declare format: Format;
  declare subject: CreationOptional<string | null>;
  declare source: string;
  declare text: CreationOptional<string | null>;
  declare createdBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

/** A landing page published at /l/<slug>, with its counters. */
export class LandingPageRow extends Model<InferAttributes<LandingPageRow>, InferCreationAttributes<LandingPageRow>> {
  declare id: CreationOptional<number>;
  declare slug: string;
  declare title: string;
  declare format: Format;
  declare source: string;
  /** The HTML published (compiled at publication; null: not published). */
  declare compiledHtml: CreationOptional<string | null>;
  declare publishedAt: CreationOptional<Date | null>;
  declare visits: CreationOptional<number>;
  declare conversions: CreationOptional<number>;
  declare createdBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

const format = () => ({ ...str(8, false), defaultValue: 'html' });

export function contentModels(sequelize: Sequelize) {
  return {
    ContentBlockRow: bind(
      ContentBlockRow,
      {
        id: pk(),
        name: str(64, false),
        label: str(255, false),
        format: format(),
        source: text(false),
        updatedBy: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'content_blocks', ...underscored },
    ),
    ContentTemplateRow: bind(
      ContentTemplateRow,
      {
        id: pk(),
        name: str(64, false),
        label: str(255, false),
        description: str(500),
        format: format(),
        subject: str(998),
        source: text(false),
        text: text(),
        createdBy: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'content_templates', ...underscored },
    ),
    LandingPageRow: bind(
      LandingPageRow,
      {
        id: pk(),
        slug: str(64, false),
        title: str(255, false),
        format: format(),
        source: text(false),
        compiledHtml: text(),
        publishedAt: date(),
        visits: int(),
        conversions: int(),
        createdBy: intOrNull(),
        createdAt: date(false),
        updatedAt: date(false),
      },
      { sequelize, tableName: 'landing_pages', ...underscored },
    ),
  };
}
