import { parseArgs } from 'node:util';
import { ConfigError, describeError, isHeraldError, UsageError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Command, CommandInput } from './command.js';
import { commandGroups, commandHelp, groupHelp, overallHelp } from './help.js';
import { apikeyCommands } from './commands/apikey.js';
import { bounceCommands } from './commands/bounce.js';
import { configCommands } from './commands/config.js';
import { dbCommands } from './commands/db.js';
import { deliveryCommands } from './commands/delivery.js';
import { eventCommands } from './commands/event.js';
import { instanceCommands } from './commands/instance.js';
import { moduleCommands } from './commands/modules.js';
import { mtaCommands } from './commands/mta.js';
import { operatorCommands } from './commands/operator.js';
import { recipientsCommands } from './commands/recipients.js';
import { statCommands } from './commands/stat.js';
import { trackingCommands } from './commands/tracking.js';
import { watchdogCommands } from './commands/watchdog.js';
import { metricsCommands } from './commands/metrics.js';
import { workflowCommands } from './commands/workflow.js';

export const COMMANDS: Command[] = [
  ...watchdogCommands,
  ...instanceCommands,
  ...metricsCommands,
  ...moduleCommands,
  ...mtaCommands,
  ...statCommands,
  ...configCommands,
  ...dbCommands,
  ...operatorCommands,
  ...recipientsCommands,
  ...workflowCommands,
  ...trackingCommands,
  ...deliveryCommands,
  ...bounceCommands,
  ...apikeyCommands,
  ...eventCommands,
];

const GLOBAL_OPTIONS = {
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  instance: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  return overallHelp(COMMANDS);
}

/** The words of argv, leaving out options and the values of the global ones (`--instance brand-a operator list`). */
function commandWords(argv: readonly string[]): string[] {
  const takesValue = new Set(Object.entries(GLOBAL_OPTIONS).flatMap(([name, o]) => (o.type === 'string' ? [`--${name}`] : [])));
  return argv.filter((a, i) => !a.startsWith('-') && !takesValue.has(argv[i - 1] ?? ''));
}

function findCommand(argv: readonly string[]): Command | undefined {
  const words = commandWords(argv);
  return COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length)[0];
}

type Io = Pick<CommandInput, 'out' | 'err' | 'stdin'>;

/** Runs the CLI; returns the exit code, or 'running' when a module keeps the process alive. */
export async function runCli(
  argv: readonly string[],
  io: Io = { out: process.stdout, err: process.stderr, stdin: process.stdin },
): Promise<number | 'running'> {
  // `herald help <command…>` is `herald <command…> --help`.
  if (argv[0] === 'help' && argv.length > 1) argv = [...argv.slice(1), '--help'];
  const command = findCommand(argv);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  try {
    if (!command) {
      if (argv.length === 0 || wantsHelp || argv[0] === 'help') {
        const group = commandGroups(COMMANDS).get(argv[0] ?? '');
        io.out.write(group ? groupHelp(argv[0]!, group) : usage());
        return EXIT.OK;
      }
      const group = commandGroups(COMMANDS).get(argv[0]!);
      if (group && commandWords(argv).length === 1) {
        io.err.write(`herald: "${argv[0]}" needs a command\n\n${groupHelp(argv[0]!, group)}`);
        return EXIT.USAGE;
      }
      throw new UsageError(`unknown command: ${commandWords(argv).join(' ') || argv.join(' ')}`);
    }
    // Help never runs the command, even when its other flags or arguments are wrong.
    if (wantsHelp) {
      const group = command.words.length === 1 ? commandGroups(COMMANDS).get(command.words[0]!) : undefined;
      io.out.write(commandHelp(command) + (group ? `\n${groupHelp(command.words[0]!, group)}` : ''));
      return EXIT.OK;
    }
    const parsed = parseCommandArgs(command, argv);
    const args = parsed.positionals.slice(command.words.length);
    const [min, max] = command.args ?? [0, 0];
    if (args.length < min || args.length > max) throw new UsageError(`wrong number of arguments for "${command.words.join(' ')}"`);
    const { config, set, instance, help: _help, ...flags } = parsed.values;
    return await command.run({
      ...io,
      args,
      flags,
      siteFile: config as string | undefined,
      instance: instance as string | undefined,
      overrides: (set as string[] | undefined) ?? [],
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`herald: ${err.message}\n\n${command ? `usage: herald ${command.usage}\n` : usage()}`);
      return EXIT.USAGE;
    }
    if (err instanceof ConfigError) {
      io.err.write(`herald: config error: ${err.message}\n`);
      return EXIT.CONFIG;
    }
    io.err.write(`herald: ${describeError(err)}\n`);
    return isHeraldError(err) ? (err.hints.exitCode ?? EXIT.FAILURE) : EXIT.FAILURE;
  }
}

function parseCommandArgs(command: Command, argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeError(err).replace(/\. To specify a positional argument.*$/, ''));
  }
}
