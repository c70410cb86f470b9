import { groupBy } from '../shared/group-by.js';
import type { Command } from './command.js';

/**
 * The CLI's help texts, built from the command table: the whole list, one group of commands
 * (`herald event --help`), or one command with its options (`herald event send --help`).
 */

export const GLOBAL_OPTIONS_HELP = [
  'global options:',
  '  --config <file>        site config file (default: $HERALD_CONFIG, then config/herald.toml)',
  '  --set <key=value>      override one config key, e.g. --set web.port=8081 (repeatable)',
  '  --instance <name>      work on that instance (herald instance list) instead of the default one',
  '  -h, --help             show this help',
];

export function overallHelp(commands: readonly Command[]): string {
  return [
    'usage: herald <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  herald ${c.usage}\n      ${c.summary}`),
    '',
    'Each command explains itself: herald <command> --help.',
    '',
    ...GLOBAL_OPTIONS_HELP,
    '',
  ].join('\n');
}

/** The first words shared by several commands (`event`, `delivery`, `db`…), each with its commands. */
export function commandGroups(commands: readonly Command[]): Map<string, Command[]> {
  return groupBy(
    commands.filter((c) => c.words.length > 1),
    (c) => c.words[0]!,
  );
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  return [
    `usage: herald ${group} <${commands.map((c) => c.words.slice(1).join(' ')).join('|')}> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  herald ${c.usage}\n      ${c.summary}`),
    '',
    `Each one explains itself: herald ${group} <command> --help.`,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const options = Object.entries(command.options ?? {}).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(30)} ${o.multiple ? '(repeatable)' : ''}`.trimEnd();
  });
  const [min, max] = command.args ?? [0, 0];
  const args =
    max === 0
      ? 'no arguments'
      : min === max
        ? `${min} argument${min > 1 ? 's' : ''}`
        : max >= 1000
          ? `at least ${min} argument${min > 1 ? 's' : ''}`
          : `${min} to ${max} arguments`;
  return [
    `usage: herald ${command.usage}`,
    '',
    `  ${command.summary}`,
    `  (${args})`,
    '',
    ...(options.length ? ['options:', ...options, ''] : []),
    ...GLOBAL_OPTIONS_HELP,
    '',
  ].join('\n');
}
