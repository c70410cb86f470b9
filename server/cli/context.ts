import { existsSync } from 'node:fs';
import { openDatabase, type Database } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import { instanceSiteFile, INSTANCE_NAME, INSTANCE_NAME_HINT, mainSiteFile } from '../shared/config/instances.js';
import { loadConfig, type LoadedConfig } from '../shared/config/load.js';
import { UsageError } from '../shared/errors.js';
import { instancePaths, type InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { createLogger, type Logger } from '../shared/logger.js';
import type { CommandInput } from './command.js';

/**
 * The site config a command works on: the install's own (--config, HERALD_CONFIG, config/herald.toml),
 * or with `--instance <name>` that added instance's (undefined: the default lookup).
 */
export function targetSiteFile(input: Pick<CommandInput, 'siteFile' | 'instance'>): string | undefined {
  if (input.instance === undefined) return input.siteFile;
  if (!INSTANCE_NAME.test(input.instance)) throw new UsageError(`--instance: "${input.instance}" is not a valid instance name (${INSTANCE_NAME_HINT})`);
  const file = instanceSiteFile(mainSiteFile(input.siteFile), input.instance);
  if (!existsSync(file)) throw new UsageError(`no instance "${input.instance}" (herald instance list shows them; the default one needs no --instance)`);
  return file;
}

/** The config for a command, honouring `--config`, `--instance` and `--set`. */
export function commandConfig(input: CommandInput): LoadedConfig & { paths: InstancePaths } {
  const loaded = loadConfig({ siteFile: targetSiteFile(input), overrides: input.overrides });
  return { ...loaded, paths: instancePaths(loaded.config) };
}

/** Runs `fn` with an open, migrated database and closes it afterwards (fails fast when unreachable). */
export async function withDatabase<T>(input: CommandInput, fn: (db: Database) => Promise<T>, options: { migrated?: boolean } = {}): Promise<T> {
  const { config, paths } = commandConfig(input);
  const db = await openDatabase(config, paths);
  try {
    if (options.migrated !== false) await requireMigrated(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Like withDatabase, with the module's log file open (for commands whose actions are logged). */
export async function withLoggedDatabase<T>(
  input: CommandInput,
  module: string,
  fn: (db: Database, log: Logger, config: HeraldConfig) => Promise<T>,
): Promise<T> {
  const { config, paths } = commandConfig(input);
  const log = createLogger({
    module,
    dir: paths.logDir,
    level: config.log.level,
    console: false,
    maxSizeMb: config.log.maxSizeMb,
    maxFiles: config.log.maxFiles,
    secrets: Object.values(config.secrets),
  });
  try {
    return await withDatabase(input, (db) => fn(db, log, config));
  } finally {
    await log.close();
  }
}
