import { userInfo } from 'node:os';
import { auditIn } from '../../db/repos/audit.js';
import { activeBlocks, unblockDomain, type DomainBlock } from '../../db/repos/mta-throttle.js';
import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command, CommandInput } from '../command.js';
import { withDatabase } from '../context.js';

/**
 * `herald mta blocks [--json]` lists the domains the MTA's error-rate guard blocked (until when,
 * since when, why); `herald mta unblock <domain>` lifts one at once for every running MTA (they
 * re-read the blocks every two seconds), makes the messages it pushed back due again and writes an
 * audit line.
 */

const iso = (ms: number) => (ms > 0 ? new Date(ms).toISOString().replace('.000Z', 'Z') : '');

function blockJson(b: DomainBlock) {
  return { domain: b.domain, key: b.key, blockedUntil: iso(b.untilMs), blockedSince: iso(b.sinceMs) || null, reason: b.reason };
}

async function blocks(input: CommandInput): Promise<number> {
  const list = await withDatabase(input, async (db) => [...(await activeBlocks(db, new Date())).values()]);
  if (input.flags.json) {
    input.out.write(`${JSON.stringify({ blocks: list.map(blockJson) })}\n`);
    return EXIT.OK;
  }
  if (list.length === 0) {
    input.out.write('No domain is blocked\n');
    return EXIT.OK;
  }
  const rows = [['DOMAIN', 'BLOCKED UNTIL', 'SINCE', 'REASON'], ...list.map((b) => [b.domain, iso(b.untilMs), iso(b.sinceMs), b.reason])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    input.out.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  return EXIT.OK;
}

async function unblock(input: CommandInput): Promise<number> {
  const domain = input.args[0]!.trim().toLowerCase();
  const { block, rescheduled } = await withDatabase(input, (db) =>
    unblockDomain(db, domain, new Date(), (transaction, lifted, count) =>
      auditIn(db, transaction, {
        at: new Date(),
        operatorId: null,
        operatorLogin: `cli:${userInfo().username}`,
        action: 'domain_unblocked',
        targetType: 'domain',
        targetId: domain,
        detail: { reason: lifted.reason, blockedUntil: iso(lifted.untilMs), rescheduled: count },
      }),
    ),
  );
  if (!block) throw new HeraldError('MTA_NOT_BLOCKED', `${domain} is not blocked (see: herald mta blocks)`, { exitCode: EXIT.DATA });
  input.out.write(`Unblocked ${domain} (was: ${block.reason}); ${rescheduled} pending message(s) due again; running MTAs send to it within seconds\n`);
  return EXIT.OK;
}

export const mtaCommands: Command[] = [
  {
    words: ['mta', 'blocks'],
    usage: 'mta blocks [--json]',
    summary: 'list the domains blocked by the error-rate guard (until, since, why)',
    options: { json: { type: 'boolean' } },
    run: blocks,
  },
  {
    words: ['mta', 'unblock'],
    usage: 'mta unblock <domain>',
    summary: 'lift the block of a domain now (every running MTA honours it within seconds; audited)',
    args: [1, 1],
    run: unblock,
  },
];
