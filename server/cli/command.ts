import type { ParseArgsConfig } from 'node:util';

/** What a command receives: its positional arguments, its parsed flags and the output streams. */
export interface CommandInput {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  /** `--config` and `--set` values, passed on to the config loader. */
  siteFile?: string;
  /** `--instance <name>`: the command works on that added instance (its site config) instead of the default one. */
  instance?: string;
  overrides: string[];
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A CLI command; `run` returns the exit code, or 'running' for a long-running module. */
export interface Command {
  /** Words that select it, e.g. ['db', 'migrate']. */
  words: string[];
  /** Usage line after `herald`, e.g. 'db migrate'. */
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Minimum and maximum positional arguments after the command words. */
  args?: [number, number];
  run(input: CommandInput): Promise<number | 'running'>;
}
