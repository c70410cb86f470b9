import { Op, type Sequelize, type WhereOptions } from 'sequelize';
import { parseMoment } from '../../shared/duration.js';
import type { Dialect } from '../connect.js';
import type { Recipient } from '../models/index.js';
import { fieldType, isCustomField, type Condition, type CustomField, type RecipientField, type Scalar } from './recipient-condition.js';

/**
 * Compiles a VALID condition (see conditionProblems) into a Sequelize where clause over recipients.
 * Values are bound by Sequelize or escaped with the dialect's own escaping; LIKE patterns escape
 * their wildcards (SQL Server's `[` too) under an explicit ESCAPE character, so user text never
 * becomes a pattern; text matches ignore case on every dialect. Membership tests are `id IN (subquery)`, which every dialect plans well.
 */

type Where = WhereOptions<Recipient>;

export function recipientWhere(sequelize: Sequelize, condition: Condition, now: Date): Where {
  const sql = sqlHelpers(sequelize);
  const compile = (c: Condition): Where => {
    if ('all' in c) return { [Op.and]: c.all.map(compile) };
    if ('any' in c) return { [Op.or]: c.any.map(compile) };
    if ('not' in c) return { [Op.not]: compile(c.not) };
    if ('subscribed' in c) return { id: { [Op.in]: sql.subscribers(c.subscribed, c.since === undefined ? undefined : parseMoment(c.since, now)!) } };
    if ('inList' in c) return { id: { [Op.in]: sql.listMembers(c.inList) } };
    if ('inSegment' in c) throw new Error(`segment "${c.inSegment}" was not expanded before compiling (expandSegments)`);
    if (isCustomField(c.field)) return customComparison(sequelize, sql, c.field, c.op, c.value);
    return comparison(sql, c.field, c.op, c.value, now);
  };
  return compile(condition);
}

/**
 * The value of a custom field as text, read from the JSON text column `fields`: json_extract on
 * SQLite, JSON_VALUE on SQL Server, ->> on PostgreSQL. The name is checked against the custom-field
 * pattern right here, so it can be spelled into the SQL (Sequelize doubles "$" in string arguments).
 */
export function customFieldValue(sequelize: Sequelize, field: string) {
  if (!isCustomField(field)) throw new Error(`not a custom field: ${JSON.stringify(field)}`);
  const name = field.slice('fields.'.length);
  const dialect = sequelize.getDialect() as Dialect;
  if (dialect === 'postgres') return sequelize.literal(`("fields"::json ->> '${name}')`);
  return sequelize.fn(dialect === 'mssql' ? 'JSON_VALUE' : 'json_extract', sequelize.col('fields'), sequelize.literal(`'$.${name}'`));
}

/** Custom fields compare as text; a missing field counts as empty. */
function customComparison(sequelize: Sequelize, sql: SqlHelpers, field: CustomField, op: string, value: Scalar | Scalar[] | undefined): Where {
  const column = customFieldValue(sequelize, field);
  // Each where() sits in an AND list: Sequelize silently drops a NOT put directly on a where() clause.
  const test = (condition: unknown): Where => ({ [Op.and]: [sequelize.where(column, condition as never)] }) as unknown as Where;
  const text = (v: Scalar) => String(v);
  const empty: Where = { [Op.or]: [test({ [Op.is]: null }), test('')] };
  switch (op) {
    case 'eq':
      return test(text(value as Scalar));
    case 'ne':
      return { [Op.or]: [test({ [Op.ne]: text(value as Scalar) }), test({ [Op.is]: null })] };
    case 'in':
      return test({ [Op.in]: (value as Scalar[]).map(text) });
    case 'notIn':
      return { [Op.or]: [test({ [Op.notIn]: (value as Scalar[]).map(text) }), test({ [Op.is]: null })] };
    case 'contains':
      return test({ [sql.likeOp]: sql.like('%', text(value as Scalar), '%') });
    case 'startsWith':
      return test({ [sql.likeOp]: sql.like('', text(value as Scalar), '%') });
    case 'endsWith':
      return test({ [sql.likeOp]: sql.like('%', text(value as Scalar), '') });
    case 'isEmpty':
      return empty;
    default:
      return { [Op.not]: { [Op.and]: [empty] } };
  }
}

/** A recipient is never targeted once erased (GDPR): every query carries this. */
export const notErased: Where = { erasedAt: null };

function comparison(sql: SqlHelpers, field: RecipientField, op: string, value: Scalar | Scalar[] | undefined, now: Date): Where {
  const type = fieldType(field);
  if (type === 'domain') {
    const domains = (Array.isArray(value) ? value : [value]).map((d) => ({ email: { [sql.likeOp]: sql.like('%@', String(d).toLowerCase(), '') } }));
    const match = { [Op.or]: domains };
    return op === 'eq' || op === 'in' ? match : { [Op.not]: match };
  }
  if (type === 'boolean') return { [field]: op === 'eq' ? value : !value };
  if (type === 'date') {
    if (op === 'isEmpty') return { [field]: null };
    if (op === 'notEmpty') return { [field]: { [Op.ne]: null } };
    const ops = { lt: Op.lt, lte: Op.lte, gt: Op.gt, gte: Op.gte } as const;
    return { [field]: { [ops[op as keyof typeof ops]]: parseMoment(String(value), now) } };
  }
  const orNull = (w: Where): Where => ({ [Op.or]: [w, { [field]: null }] });
  switch (op) {
    case 'eq':
      return { [field]: value };
    case 'ne':
      return orNull({ [field]: { [Op.ne]: value } });
    case 'in':
      return { [field]: { [Op.in]: value as Scalar[] } };
    case 'notIn':
      return orNull({ [field]: { [Op.notIn]: value as Scalar[] } });
    case 'contains':
      return { [field]: { [sql.likeOp]: sql.like('%', String(value), '%') } };
    case 'startsWith':
      return { [field]: { [sql.likeOp]: sql.like('', String(value), '%') } };
    case 'endsWith':
      return { [field]: { [sql.likeOp]: sql.like('%', String(value), '') } };
    case 'isEmpty':
      return { [Op.or]: [{ [field]: null }, { [field]: '' }] };
    default:
      return { [Op.and]: [{ [field]: { [Op.ne]: null } }, { [field]: { [Op.ne]: '' } }] };
  }
}

interface SqlHelpers {
  /** LIKE where it ignores case (SQLite for ASCII, SQL Server's default collations), ILIKE on PostgreSQL. */
  likeOp: typeof Op.like | typeof Op.iLike;
  like(prefix: string, text: string, suffix: string): ReturnType<Sequelize['literal']>;
  subscribers(service: string, since: Date | undefined): ReturnType<Sequelize['literal']>;
  listMembers(list: string): ReturnType<Sequelize['literal']>;
}

function sqlHelpers(sequelize: Sequelize): SqlHelpers {
  const esc = (v: string | Date) => sequelize.escape(v);
  const dialect = sequelize.getDialect() as Dialect;
  const wildcards = dialect === 'mssql' ? /[\\%_[]/g : /[\\%_]/g;
  return {
    likeOp: dialect === 'postgres' ? Op.iLike : Op.like,
    like: (prefix, text, suffix) => sequelize.literal(`${esc(prefix + text.replace(wildcards, '\\$&') + suffix)} ESCAPE '\\'`),
    subscribers: (service, since) =>
      sequelize.literal(
        `(SELECT s.recipient_id FROM subscriptions s JOIN services v ON v.id = s.service_id WHERE v.name = ${esc(service)} AND s.status = 'active'` +
          (since ? ` AND COALESCE(s.confirmed_at, s.created_at) >= ${esc(since)}` : '') +
          ')',
      ),
    listMembers: (list) => sequelize.literal(`(SELECT m.recipient_id FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.name = ${esc(list)})`),
  };
}
