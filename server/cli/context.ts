import { openDatabase, type Database } from '../db/connect.js';
import { requireMigrated } from '../db/migrate.js';
import { loadConfig, type LoadedConfig } from '../shared/config/load.js';
import { instancePaths, type InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { createLogger, type Logger } from '../shared/logger.js';
import type { CommandInput } from './command.js';

/** The config for a command, honouring `--config` and `--set`. */
export function commandConfig(input: CommandInput): LoadedConfig & { paths: InstancePaths } {
  const loaded = loadConfig({ siteFile: input.siteFile, overrides: input.overrides });
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
