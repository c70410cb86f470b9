import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { StatClient } from '../../shared/stat-client.js';
import type { Command, CommandInput } from '../command.js';
import { commandConfig } from '../context.js';

/**
 * `herald stat show [--json]`: what the stat server carries now, per sending IP and key — the rate in
 * force, the connections and the messages of the last minute of every registered MTA. It asks the
 * server this install's MTA uses (`mta.statServer`), else the one this install runs (`stat.host:port`).
 */

async function show(input: CommandInput): Promise<number> {
  const { config } = commandConfig(input);
  const key = config.secrets.statKey;
  if (!key) throw new HeraldError('STAT_NO_KEY', 'secrets.statKey is not set: this install uses no stat server', { exitCode: EXIT.CONFIG });
  const host = config.stat.host === '0.0.0.0' || config.stat.host === '::' ? '127.0.0.1' : config.stat.host;
  const server = config.mta.statServer || `${host.includes(':') ? `[${host}]` : host}:${config.stat.port}`;
  const client = new StatClient(server, key, 5000);
  try {
    const view = await client.status().catch((err: unknown) => {
      throw new HeraldError('STAT_UNREACHABLE', `stat server ${server}: ${err instanceof Error ? err.message : String(err)}`, { exitCode: EXIT.UNAVAILABLE });
    });
    if (input.flags.json) {
      input.out.write(`${JSON.stringify(view)}\n`);
      return EXIT.OK;
    }
    input.out.write(`stat server ${server}: ${view.mtas} MTA(s) registered\n`);
    const rows = [
      ['IP', 'KEY', 'PER HOUR', 'CONNECTIONS', 'LAST MINUTE', 'MTA'],
      ...view.slots.flatMap((s) => [
        [s.ip, s.key, s.messagesPerHour ? String(s.messagesPerHour) : 'unlimited', String(s.connections), String(s.messagesLastMinute), ''],
        ...s.mtas.map((m) => ['', '', '', String(m.connections), String(m.messagesLastMinute), m.mta]),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows)
      input.out.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    return EXIT.OK;
  } finally {
    client.close();
  }
}

export const statCommands: Command[] = [
  {
    words: ['stat', 'show'],
    usage: 'stat show [--json]',
    summary: 'what the stat server carries: per sending IP and MX rule, the rate, connections and last minute of each MTA',
    options: { json: { type: 'boolean' } },
    run: show,
  },
];
