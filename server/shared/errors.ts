import { EXIT, type ExitCode } from './exit-codes.js';

/** Transport hints an error carries so each edge can answer in its own terms. */
export interface ErrorHints {
  /** HTTP status for the web and API edges. */
  status?: number;
  /** SMTP reply code for the SMTP edges. */
  responseCode?: number;
  /** Process exit code for the CLI and process entries. */
  exitCode?: ExitCode;
}

/** An expected failure with a stable UPPER_SNAKE code; its message is safe to show to a user. */
export class HeraldError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hints: ErrorHints = {},
  ) {
    super(message);
    this.name = 'HeraldError';
  }
}

/** Invalid configuration: names the file (or environment variable), the key and the reason. */
export class ConfigError extends HeraldError {
  constructor(
    readonly source: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super('CONFIG_INVALID', `${source}: ${key}: ${reason}`, { exitCode: EXIT.CONFIG });
    this.name = 'ConfigError';
  }
}

/** Wrong command line: the CLI prints usage and exits 64. */
export class UsageError extends HeraldError {
  constructor(message: string) {
    super('USAGE', message, { exitCode: EXIT.USAGE });
    this.name = 'UsageError';
  }
}

export function isHeraldError(err: unknown): err is HeraldError {
  return err instanceof HeraldError;
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/**
 * The disk (or the database's storage) is full: SQLite's SQLITE_FULL, a file write's ENOSPC, SQL
 * Server's 1105 / 9002, PostgreSQL's 53100 (disk_full). Nothing is wrong with the data at hand:
 * wait and try again, never set it aside as if it were at fault.
 */
export function isStorageFull(err: unknown): boolean {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 4;
    e = (e as { original?: unknown; cause?: unknown }).original ?? (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, number, message } = e as { code?: unknown; number?: unknown; message?: unknown };
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100' || number === 1105 || number === 9002) return true;
    if (typeof message === 'string' && /SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i.test(message)) return true;
  }
  return false;
}
