import { DataTypes, type QueryInterface, type ModelAttributes, type Transaction } from 'sequelize';

/**
 * The initial schema. Frozen: later changes go in new migrations. Column types are chosen to map
 * cleanly on both dialects (SQLite and SQL Server): ids are INTEGER (32-bit, as Adobe's default)
 * except the large log tables, which use BIGINT; JSON is stored as TEXT (NVARCHAR(MAX)); indexed
 * strings stay under SQL Server's 900-byte key limit. The big log tables carry no foreign keys
 * (Adobe's pattern: ordered purges instead of cascades, and no FK checks on the hottest inserts).
 */

const T = DataTypes;
const pk = () => ({ type: T.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
const bigPk = () => ({ type: T.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false });
const ref = (table: string, onDelete: 'CASCADE' | 'NO ACTION' | 'SET NULL' = 'NO ACTION', allowNull = false) => ({
  type: T.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const str = (length: number, allowNull = true) => ({ type: T.STRING(length), allowNull });
const text = (allowNull = true) => ({ type: T.TEXT, allowNull });
const int = (defaultValue = 0) => ({ type: T.INTEGER, allowNull: false, defaultValue });
const flag = (defaultValue = false) => ({ type: T.BOOLEAN, allowNull: false, defaultValue });
const date = (allowNull = true) => ({ type: T.DATE, allowNull });
const stamps = () => ({ created_at: date(false), updated_at: date(false) });

interface TableDef {
  name: string;
  columns: ModelAttributes;
  indexes?: Array<{ fields: string[]; unique?: boolean; name?: string }>;
}

export const tables: TableDef[] = [
  {
    name: 'recipients',
    columns: {
      id: pk(),
      email: str(320, false),
      first_name: str(255),
      last_name: str(255),
      email_format: str(8, false),
      fields: text(),
      denylisted: flag(),
      denylisted_email: flag(),
      erased_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['email'], unique: true }, { fields: ['updated_at'] }],
  },
  {
    name: 'lists',
    columns: { id: pk(), name: str(100, false), label: str(255, false), description: text(), expires_at: date(), ...stamps() },
    indexes: [{ fields: ['name'], unique: true }],
  },
  {
    name: 'list_members',
    columns: {
      list_id: { ...ref('lists', 'CASCADE'), primaryKey: true },
      recipient_id: { ...ref('recipients', 'CASCADE'), primaryKey: true },
      created_at: date(false),
    },
    indexes: [{ fields: ['recipient_id'] }],
  },
  {
    name: 'services',
    columns: {
      id: pk(),
      name: str(100, false),
      label: str(255, false),
      description: text(),
      channel: str(16, false),
      double_opt_in: flag(true),
      validity_days: { type: T.INTEGER, allowNull: true },
      ...stamps(),
    },
    indexes: [{ fields: ['name'], unique: true }],
  },
  {
    name: 'subscriptions',
    columns: {
      id: pk(),
      service_id: ref('services', 'CASCADE'),
      recipient_id: ref('recipients', 'CASCADE'),
      status: str(16, false),
      origin: str(32),
      confirmed_at: date(),
      expires_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['service_id', 'recipient_id'], unique: true }, { fields: ['recipient_id'] }, { fields: ['service_id', 'status'] }],
  },
  {
    name: 'subscription_history',
    columns: {
      id: bigPk(),
      service_id: { type: T.INTEGER, allowNull: false },
      recipient_id: { type: T.INTEGER, allowNull: false },
      action: str(16, false),
      origin: str(32),
      at: date(false),
    },
    indexes: [{ fields: ['service_id', 'at'] }, { fields: ['recipient_id'] }],
  },
  {
    name: 'operators',
    columns: {
      id: pk(),
      login: str(64, false),
      name: str(255),
      email: str(320),
      password_hash: str(255, false),
      rights: text(false),
      disabled: flag(),
      must_change_password: flag(),
      last_login_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['login'], unique: true }],
  },
  {
    name: 'api_keys',
    columns: {
      id: pk(),
      name: str(100, false),
      prefix: str(16, false),
      secret_hash: str(128, false),
      scopes: text(false),
      operator_id: ref('operators', 'SET NULL', true),
      last_used_at: date(),
      expires_at: date(),
      revoked_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['prefix'], unique: true }],
  },
  {
    name: 'deliveries',
    columns: {
      id: pk(),
      internal_name: str(100, false),
      label: str(255, false),
      is_template: flag(),
      template_id: { type: T.INTEGER, allowNull: true },
      kind: str(16, false),
      state: str(24, false),
      subject: text(),
      from_name: str(255),
      from_address: str(320),
      reply_to: str(320),
      html: text(),
      text: text(),
      headers: text(),
      target: text(),
      exclusions: text(),
      service_id: ref('services', 'SET NULL', true),
      tracking_enabled: flag(true),
      open_tracking: flag(true),
      scheduled_at: date(),
      validity_end: date(),
      web_validity_end: date(),
      analysed_at: date(),
      started_at: date(),
      finished_at: date(),
      total_target: int(),
      excluded: int(),
      to_deliver: int(),
      processed: int(),
      sent: int(),
      failed: int(),
      new_quarantine: int(),
      analysis: text(),
      last_error: text(),
      created_by: ref('operators', 'SET NULL', true),
      ...stamps(),
    },
    indexes: [{ fields: ['internal_name'], unique: true }, { fields: ['state'] }, { fields: ['is_template', 'created_at'] }],
  },
  {
    name: 'tracking_urls',
    columns: {
      id: pk(),
      delivery_id: ref('deliveries', 'CASCADE'),
      type: str(16, false),
      url: text(false),
      label: str(255),
      category: str(64),
      created_at: date(false),
    },
    indexes: [{ fields: ['delivery_id'] }],
  },
  {
    name: 'broad_logs',
    columns: {
      id: bigPk(),
      delivery_id: { type: T.INTEGER, allowNull: false },
      recipient_id: { type: T.INTEGER, allowNull: true },
      address: str(320, false),
      email_format: str(8, false),
      status: str(16, false),
      failure_type: str(16),
      failure_reason: str(32),
      failure_text: text(),
      bounce_text_id: { type: T.INTEGER, allowNull: true },
      attempts: int(),
      next_attempt_at: date(),
      lease_owner: str(64),
      lease_expires_at: date(),
      smtp_response: text(),
      message_id: str(255),
      sent_at: date(),
      ...stamps(),
    },
    indexes: [
      { fields: ['status', 'next_attempt_at'], name: 'broad_logs_due' },
      { fields: ['delivery_id', 'status'], name: 'broad_logs_delivery_status' },
      { fields: ['recipient_id'], name: 'broad_logs_recipient' },
      { fields: ['lease_owner'], name: 'broad_logs_lease_owner' },
    ],
  },
  {
    name: 'exclusion_logs',
    columns: {
      id: bigPk(),
      delivery_id: { type: T.INTEGER, allowNull: false },
      recipient_id: { type: T.INTEGER, allowNull: true },
      address: str(320),
      reason: str(32, false),
      detail: str(255),
      created_at: date(false),
    },
    indexes: [{ fields: ['delivery_id', 'reason'] }],
  },
  {
    name: 'tracking_logs',
    columns: {
      id: bigPk(),
      hit_id: str(64, false),
      delivery_id: { type: T.INTEGER, allowNull: false },
      broad_log_id: { type: T.BIGINT, allowNull: true },
      recipient_id: { type: T.INTEGER, allowNull: true },
      url_id: { type: T.INTEGER, allowNull: true },
      url_type: str(16, false),
      logged_at: date(false),
      source_id: str(64),
      ip: str(64),
      user_agent: str(512),
      bot: str(32),
      server: str(100),
      created_at: date(false),
    },
    indexes: [
      { fields: ['hit_id'], unique: true },
      { fields: ['delivery_id', 'logged_at'], name: 'tracking_logs_delivery_time' },
      { fields: ['broad_log_id'] },
      { fields: ['logged_at'] },
    ],
  },
  {
    name: 'tracking_stats',
    columns: {
      id: bigPk(),
      delivery_id: { type: T.INTEGER, allowNull: false },
      url_id: { type: T.INTEGER, allowNull: false },
      slot_start: date(false),
      clicks: int(),
      human_clicks: int(),
    },
    indexes: [{ fields: ['delivery_id', 'url_id', 'slot_start'], unique: true }],
  },
  {
    name: 'delivery_indicators',
    columns: {
      delivery_id: { type: T.INTEGER, primaryKey: true, allowNull: false },
      recipient_opens: int(),
      total_opens: int(),
      estimated_opens: int(),
      recipient_clicks: int(),
      person_clicks: int(),
      total_clicks: int(),
      estimated_forwards: int(),
      opt_outs: int(),
      mirror_views: int(),
      human_opens: int(),
      human_clicks: int(),
      computed_at: date(false),
    },
  },
  {
    name: 'quarantines',
    columns: {
      id: pk(),
      address: str(320, false),
      domain: str(255, false),
      status: str(16, false),
      failure_type: str(16),
      failure_reason: str(32),
      error_count: int(),
      last_error_at: date(),
      text: text(),
      delivery_id: { type: T.INTEGER, allowNull: true },
      ...stamps(),
    },
    indexes: [{ fields: ['address'], unique: true }, { fields: ['status', 'updated_at'] }, { fields: ['domain'] }],
  },
  {
    name: 'bounce_texts',
    columns: {
      id: pk(),
      text_hash: str(64, false),
      text: text(false),
      first_text: text(false),
      failure_type: str(16, false),
      failure_reason: str(32, false),
      rule: str(100),
      status: str(16, false),
      occurrences: int(1),
      ...stamps(),
    },
    indexes: [{ fields: ['text_hash'], unique: true }, { fields: ['status', 'occurrences'] }],
  },
  {
    name: 'workflows',
    columns: {
      id: pk(),
      name: str(100, false),
      label: str(255, false),
      kind: str(16, false),
      state: str(16, false),
      schedule: str(100),
      enabled: flag(true),
      definition: text(),
      lease_owner: str(64),
      lease_expires_at: date(),
      last_run_at: date(),
      ...stamps(),
    },
    indexes: [{ fields: ['name'], unique: true }],
  },
  {
    name: 'workflow_runs',
    columns: {
      id: bigPk(),
      workflow_id: ref('workflows', 'CASCADE'),
      trigger: str(16, false),
      status: str(16, false),
      started_at: date(false),
      ended_at: date(),
      duration_ms: { type: T.INTEGER, allowNull: true },
      counts: text(),
      error: text(),
      owner: str(64),
    },
    indexes: [{ fields: ['workflow_id', 'started_at'] }, { fields: ['started_at'] }],
  },
  {
    name: 'inbound_messages',
    columns: {
      id: bigPk(),
      received_at: date(false),
      mail_from: str(320),
      rcpt_to: str(320),
      subject: str(255),
      message_id: str(255),
      kind: str(16, false),
      status: str(16, false),
      reason: str(255),
      spool_file: str(255),
      size: int(),
      created_at: date(false),
    },
    indexes: [{ fields: ['status', 'received_at'] }],
  },
  {
    name: 'smtp_stats',
    columns: {
      id: bigPk(),
      domain: str(255, false),
      slot_start: date(false),
      connections: int(),
      messages: int(),
      sent: int(),
      soft_errors: int(),
      hard_errors: int(),
      timeouts: int(),
      refused_connections: int(),
      last_response: text(),
      updated_at: date(false),
    },
    indexes: [{ fields: ['domain', 'slot_start'], unique: true }, { fields: ['slot_start'] }],
  },
];

export async function up(qi: QueryInterface, transaction?: Transaction): Promise<void> {
  for (const table of tables) {
    await qi.createTable(table.name, table.columns, { transaction });
    for (const index of table.indexes ?? []) {
      await qi.addIndex(table.name, index.fields, {
        unique: index.unique ?? false,
        name: index.name ?? `${table.name}_${index.fields.join('_')}`,
        transaction,
      });
    }
  }
}
