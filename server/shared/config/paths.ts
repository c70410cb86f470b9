import { join, resolve } from 'node:path';
import { fromRoot } from '../app-root.js';
import type { HeraldConfig } from './schema.js';

/** Where an instance keeps its files, all derived from `dataDir`. */
export interface InstancePaths {
  dataDir: string;
  logDir: string;
  spoolDir: string;
  runDir: string;
  sqliteFile: string;
}

export function instancePaths(config: HeraldConfig): InstancePaths {
  const dataDir = fromRoot(config.dataDir);
  return {
    dataDir,
    logDir: join(dataDir, 'log'),
    spoolDir: join(dataDir, 'spool'),
    runDir: join(dataDir, 'run'),
    sqliteFile: resolve(dataDir, config.database.sqliteFile),
  };
}
