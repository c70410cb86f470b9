import { Op, type Transaction } from 'sequelize';
import type { Database } from '../connect.js';
import { groupBy } from '../../shared/group-by.js';

/**
 * Bounce mailboxes read over IMAP or POP3: the counters and last error of each (monitoring), and
 * the messages processed but still in the mailbox's folder. A message's row is written in the
 * transaction that applies its effects (`recordMailboxMessages`), which first drops the messages
 * already recorded (`recordedIn`): a message fetched twice across a crash counts once.
 */

export type MailboxOutcome = 'processed' | 'unrecognised';

export interface MailboxMessageRef {
  mailbox: string;
  key: string;
}

export interface MailboxMessageRecord extends MailboxMessageRef {
  outcome: MailboxOutcome;
  spoolId: string;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const refKey = (r: MailboxMessageRef) => `${r.mailbox}\u0000${r.key}`;

function byMailbox<T extends MailboxMessageRef>(refs: readonly T[]): Map<string, T[]> {
  return groupBy(refs, (ref) => ref.mailbox);
}

/** Creates the rows of configured mailboxes that have none yet. */
export async function ensureMailboxes(db: Database, mailboxes: ReadonlyArray<{ name: string; protocol: 'imap' | 'pop3' }>, now: Date): Promise<void> {
  const { InmailMailbox } = db.models;
  if (mailboxes.length === 0) return;
  await db.write(async (transaction) => {
    const existing = new Set(
      (await InmailMailbox.findAll({ attributes: ['name'], where: { name: mailboxes.map((m) => m.name) }, transaction })).map((m) => m.name),
    );
    const fresh = mailboxes.filter((m) => !existing.has(m.name));
    if (fresh.length > 0)
      await InmailMailbox.bulkCreate(
        fresh.map((m) => ({ name: m.name, protocol: m.protocol, updatedAt: now })),
        { transaction },
      );
  });
}

/** The refs among `refs` already recorded as processed ("mailbox\0key" strings), inside a transaction. */
export async function recordedIn(db: Database, refs: readonly MailboxMessageRef[], transaction: Transaction): Promise<Set<string>> {
  const { InmailMailboxMessage } = db.models;
  const found = new Set<string>();
  for (const [mailbox, list] of byMailbox(refs)) {
    for (const part of chunks(list)) {
      const rows = await InmailMailboxMessage.findAll({
        attributes: ['messageKey'],
        where: { mailbox, messageKey: { [Op.in]: part.map((r) => r.key) } },
        transaction,
      });
      for (const row of rows) found.add(refKey({ mailbox, key: row.messageKey }));
    }
  }
  return found;
}

/** Records processed messages and adds them to their mailbox's counters (in the effects' transaction). */
export async function recordMailboxMessages(db: Database, records: readonly MailboxMessageRecord[], now: Date, transaction: Transaction): Promise<void> {
  const { InmailMailbox, InmailMailboxMessage } = db.models;
  if (records.length === 0) return;
  for (const part of chunks(records)) {
    await InmailMailboxMessage.bulkCreate(
      part.map((r) => ({ mailbox: r.mailbox, messageKey: r.key, outcome: r.outcome, spoolId: r.spoolId, processedAt: now })),
      { transaction },
    );
  }
  for (const [mailbox, list] of byMailbox(records)) {
    const unrecognised = list.filter((r) => r.outcome === 'unrecognised').length;
    await InmailMailbox.increment({ messages: list.length, unrecognised }, { where: { name: mailbox }, transaction, silent: true });
  }
}

/** Messages of `mailbox` processed but not yet known to have left its folder, with their outcome (a few batches at most). */
export async function processedMessages(db: Database, mailbox: string): Promise<Map<string, MailboxOutcome>> {
  const { InmailMailboxMessage } = db.models;
  const rows = await InmailMailboxMessage.findAll({ attributes: ['messageKey', 'outcome'], where: { mailbox } });
  return new Map(rows.map((r) => [r.messageKey, r.outcome]));
}

/** Forgets processed messages that have left the mailbox's folder (moved or deleted). */
export async function forgetMailboxMessages(db: Database, mailbox: string, keys: readonly string[]): Promise<void> {
  const { InmailMailboxMessage } = db.models;
  if (keys.length === 0) return;
  await db.write(async (transaction) => {
    for (const part of chunks(keys)) await InmailMailboxMessage.destroy({ where: { mailbox, messageKey: { [Op.in]: part } }, transaction });
  });
}

/** Notes a finished poll of a mailbox; `error` (or null once it works again) is shown on the monitoring page. */
export async function noteMailboxPoll(db: Database, name: string, now: Date, error?: string): Promise<void> {
  const { InmailMailbox } = db.models;
  const values = error === undefined ? { lastPollAt: now, updatedAt: now } : { lastError: error.slice(0, 500), lastErrorAt: now, updatedAt: now };
  await db.write((transaction) => InmailMailbox.update(values, { where: { name }, transaction }));
}

export interface MailboxStatus {
  name: string;
  protocol: string;
  messages: number;
  unrecognised: number;
  lastPollAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/** Every mailbox with its counters, by name. */
export async function mailboxStatuses(db: Database): Promise<MailboxStatus[]> {
  const { InmailMailbox } = db.models;
  const rows = await InmailMailbox.findAll({ order: [['name', 'ASC']] });
  return rows.map((r) => ({
    name: r.name,
    protocol: r.protocol,
    messages: r.messages,
    unrecognised: r.unrecognised,
    lastPollAt: r.lastPollAt ?? null,
    lastError: r.lastError ?? null,
    lastErrorAt: r.lastErrorAt ?? null,
  }));
}
