/** Process exit codes, from BSD sysexits(3), so scripts and the watchdog can tell failures apart. */
export const EXIT = {
  OK: 0,
  /** Unexpected failure (a bug or an unhandled condition). */
  FAILURE: 1,
  /** Unknown command or flag. */
  USAGE: 64,
  /** Input data was invalid (e.g. a CSV whose every row was rejected). */
  DATA: 65,
  /** An input file does not exist or cannot be read. */
  NO_INPUT: 66,
  /** A service the command needs (the database) is unavailable. */
  UNAVAILABLE: 69,
  /** Configuration error: the watchdog never restarts a module that exits with it. */
  CONFIG: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
