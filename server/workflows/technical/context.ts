import type { Database } from '../../db/connect.js';
import type { InstancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import type { Logger } from '../../shared/logger.js';
import type { Counts } from '../runner.js';

/** What a technical workflow's job receives. Jobs are small modules: read, decide (pure), write in batches. */
export interface TechnicalContext {
  db: Database;
  config: HeraldConfig;
  paths: InstancePaths;
  log: Logger;
  /** The run's time (from the engine's clock). */
  now: Date;
  /** Aborted when the module stops: stop between batches. */
  signal: AbortSignal;
}

export type TechnicalJob = (ctx: TechnicalContext) => Promise<Counts | void>;

/** Batch settings every batched job shares (from [wfserver.cleanup]). */
export function batchOptions(ctx: TechnicalContext) {
  return { batchSize: ctx.config.wfserver.cleanup.batchSize, pauseMs: ctx.config.wfserver.cleanup.batchPauseMs, signal: ctx.signal };
}
