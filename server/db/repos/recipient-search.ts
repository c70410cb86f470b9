import { Op, Sequelize, type Order, type WhereOptions } from 'sequelize';
import type { Database } from '../connect.js';
import type { Dialect } from '../connect.js';

/**
 * The console's recipient search: keyset pages that read only the rows they show, at any depth and
 * at millions of recipients (no OFFSET, no COUNT). Each search mode walks one index in order:
 * - all: newest first (primary key, descending);
 * - email: addresses starting with the text (the unique email index; addresses are lower case);
 * - last_name / first_name: names starting with the text, case-insensitive (the *_search indexes).
 * SQLite compares names with NOCASE and emails by range; PostgreSQL the same in the "C" collation,
 * names through lower() (ASCII case folding, as NOCASE; indexes of migration 020); SQL Server's
 * collations are already case-insensitive, so it uses LIKE with escaped wildcards. The variants
 * live here only.
 */

export const SEARCH_MODES = ['all', 'email', 'last_name', 'first_name'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** Where the previous page ended: the sort value and the id of its last row. */
export interface SearchCursor {
  value: string;
  id: number;
}

export interface SearchInput {
  mode: SearchMode;
  text: string;
  after?: SearchCursor;
  limit: number;
}

export interface RecipientListRow {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  denylisted: boolean;
  createdAt: Date;
}

const ATTRIBUTES = ['id', 'email', 'firstName', 'lastName', 'denylisted', 'createdAt'];
const NAME_COLUMNS = { last_name: 'lastName', first_name: 'firstName' } as const;

/** The smallest string greater than every string starting with `prefix` (binary order). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** `text` as a LIKE prefix pattern for SQL Server, its wildcards escaped with brackets. */
export function likePrefix(text: string): string {
  return text.replace(/[[%_]/g, (c) => `[${c}]`) + '%';
}

export interface SearchQuery {
  where: WhereOptions;
  order: Order;
}

/** The WHERE and ORDER BY of one page, per dialect (pure: exported for the tests). */
export function searchQuery(dialect: Dialect, input: Omit<SearchInput, 'limit'>): SearchQuery {
  const { mode, after } = input;
  const text = input.text.trim();
  if (mode === 'all' || text === '') return { where: after ? { id: { [Op.lt]: after.id } } : {}, order: [['id', 'DESC']] };
  if (mode === 'email') return emailQuery(dialect, text.toLowerCase(), after);
  return nameQuery(dialect, mode, text, after);
}

/** ASCII-only lower case, the folding of SQLite's NOCASE and of lower() in PostgreSQL's "C" collation. */
const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (s) => s.toLowerCase());

function emailQuery(dialect: Dialect, prefix: string, after?: SearchCursor): SearchQuery {
  if (dialect === 'postgres') {
    // A literal column expression (no user text): byte order, served by recipients_email_prefix.
    const col = Sequelize.literal('"email" COLLATE "C"');
    const conditions: WhereOptions[] = [Sequelize.where(col, Op.gte, prefix), Sequelize.where(col, Op.lt, prefixEnd(prefix))];
    if (after) conditions.push(Sequelize.where(col, Op.gt, after.value));
    return { where: { [Op.and]: conditions }, order: [[col, 'ASC']] };
  }
  const match = dialect === 'sqlite' ? { [Op.gte]: prefix, [Op.lt]: prefixEnd(prefix) } : { [Op.like]: likePrefix(prefix) };
  const where = after ? { [Op.and]: [{ email: match }, { email: { [Op.gt]: after.value } }] } : { email: match };
  return { where, order: [['email', 'ASC']] };
}

function nameQuery(dialect: Dialect, mode: 'last_name' | 'first_name', text: string, after?: SearchCursor): SearchQuery {
  if (dialect === 'sqlite' || dialect === 'postgres') {
    // A literal column expression (no user text): comparisons and order use the *_search index.
    const col = Sequelize.literal(dialect === 'sqlite' ? `\`${mode}\` COLLATE NOCASE` : `lower("${mode}" COLLATE "C")`);
    const fold = dialect === 'sqlite' ? (v: string) => v : asciiLower;
    const lower = fold(after ? after.value : text);
    const conditions: WhereOptions[] = [Sequelize.where(col, Op.gte, lower), Sequelize.where(col, Op.lt, prefixEnd(asciiLower(text)))];
    if (after) conditions.push({ [Op.or]: [Sequelize.where(col, Op.gt, fold(after.value)), { id: { [Op.gt]: after.id } }] });
    return {
      where: { [Op.and]: conditions },
      order: [
        [col, 'ASC'],
        ['id', 'ASC'],
      ],
    };
  }
  const attribute = NAME_COLUMNS[mode];
  const conditions: WhereOptions[] = [{ [attribute]: { [Op.like]: likePrefix(text) } }];
  if (after) conditions.push({ [Op.or]: [{ [attribute]: { [Op.gt]: after.value } }, { [attribute]: after.value, id: { [Op.gt]: after.id } }] });
  return {
    where: { [Op.and]: conditions },
    order: [
      [attribute, 'ASC'],
      ['id', 'ASC'],
    ],
  };
}

/** The sort value of a row in a mode, for the next page's cursor. */
function cursorOf(mode: SearchMode, row: RecipientListRow): SearchCursor {
  const value = mode === 'email' ? row.email : mode === 'last_name' ? row.lastName : mode === 'first_name' ? row.firstName : '';
  return { value: value ?? '', id: row.id };
}

/** One page of recipients and the cursor of the next page (undefined on the last page). */
export async function searchRecipients(db: Database, input: SearchInput): Promise<{ rows: RecipientListRow[]; next?: SearchCursor }> {
  const { Recipient } = db.models;
  const { where, order } = searchQuery(db.dialect, input);
  const found = await Recipient.findAll({ attributes: ATTRIBUTES, where, order, limit: input.limit + 1 });
  const rows = found
    .slice(0, input.limit)
    .map((r) => ({ id: r.id, email: r.email, firstName: r.firstName, lastName: r.lastName, denylisted: r.denylisted, createdAt: r.createdAt }));
  const mode = input.text.trim() === '' ? 'all' : input.mode;
  return { rows, next: found.length > input.limit ? cursorOf(mode, rows[rows.length - 1]!) : undefined };
}

/** Every recipient row (a COUNT over the smallest index; callers cache it). */
export function countRecipients(db: Database): Promise<number> {
  const { Recipient } = db.models;
  return Recipient.count();
}
