/**
 * Every log event code Herald writes, documented once. A log line is an event code plus fields,
 * e.g. `{"event":"DB_UNREACHABLE","attempt":3,"retryInMs":4000}`. Codes are UPPER_SNAKE, grouped by
 * the part of Herald that writes them; the logger only accepts codes listed here.
 */
export const LOG_EVENTS = {
  // process lifecycle (server/shared/run-process.ts), every module
  PROCESS_STARTING: 'a module process is starting (fields: pid, node)',
  PROCESS_READY: 'the module finished starting and takes work',
  PROCESS_STOPPING: 'the module drains: stops taking work, finishes in-flight work (fields: reason)',
  PROCESS_STOPPED: 'the module drained and exits',
  PROCESS_SHUTDOWN_FORCED: 'draining took longer than process.shutdownTimeoutMs; the module exits anyway',
  PROCESS_START_FAILED: 'the module could not start (fields: err)',
  PROCESS_CRASHED: 'an uncaught exception or unhandled rejection ends the process (fields: err)',
  PROCESS_PARENT_GONE: 'the watchdog that started this module disappeared; the module stops at once (fields: how)',
  PROCESS_RELOADED: 'SIGHUP or a reload request: the config was re-validated and handed to the module (fields: applied)',
  PROCESS_RELOAD_REJECTED: 'SIGHUP or a reload request: the new config is invalid, the module keeps the old one (fields: reason)',

  // watchdog (server/watchdog): supervises the module processes
  WATCHDOG_STARTED: 'the watchdog serves its control port and starts the modules (fields: pid, controlPort, modules)',
  WATCHDOG_MODULE_STARTING: 'a module process was spawned (fields: name, pid)',
  WATCHDOG_MODULE_READY: 'a module reported ready (fields: name, pid, startMs)',
  WATCHDOG_MODULE_EXITED: 'a module process ended without being asked to (fields: name, pid, code, signal, uptimeMs)',
  WATCHDOG_MODULE_STOPPED: 'a module process ended after a stop or restart request (fields: name, pid, code, signal)',
  WATCHDOG_MODULE_CONFIG_ERROR: 'a module exited with code 78 (config error); it is not restarted until the config is fixed (fields: name, reason)',
  WATCHDOG_RESTART_SCHEDULED: 'a module that ended unexpectedly will be restarted (fields: name, delayMs, consecutive, crashLooping)',
  WATCHDOG_CRASH_LOOP: 'a module crashed too often; it is now restarted at most once per crashLoopRestartDelayMs (fields: name, crashes, windowMs, retryEveryMs)',
  WATCHDOG_START_TIMEOUT: 'a module did not report ready within its startupTimeoutMs and is killed (fields: name, pid, timeoutMs)',
  WATCHDOG_HEARTBEAT_MISSED: 'a module stopped answering heartbeats and is killed (fields: name, pid, silentMs)',
  WATCHDOG_MEMORY_WARNING: 'a module uses more memory than its memoryWarningMb (fields: name, pid, rssMb, limitMb)',
  WATCHDOG_MEMORY_ALERT: 'a module uses more memory than its memoryAlertMb and is restarted gracefully (fields: name, pid, rssMb, limitMb)',
  WATCHDOG_MODULE_RESTARTING: 'a module is restarted gracefully: drained, then started again (fields: name, pid, reason)',
  WATCHDOG_FORCE_KILL: 'a module did not drain within watchdog.stopTimeoutMs and is killed (fields: name, pid)',
  WATCHDOG_RELOAD: 'the watchdog took a new config and forwarded the reload to its modules (fields: modules)',
  WATCHDOG_CONTROL_DENIED: 'a control port request came without the right token (fields: method, path)',
  WATCHDOG_STOPPING: 'the watchdog drains every module in reverse run-level order',
  WATCHDOG_STOPPED: 'every module has ended; the watchdog exits',

  // database (server/db)
  DB_CONNECTED: 'the database answered (fields: dialect, version)',
  DB_UNREACHABLE: 'the database could not be reached; retrying with backoff (fields: attempt, retryInMs, err)',
  DB_MIGRATION_APPLIED: 'a schema migration was applied (fields: migration, ms)',
  DB_MIGRATIONS_PENDING: 'the schema is behind the code; run `herald db migrate` (fields: pending)',

  // web module (server/web)
  WEB_LISTENING: 'the web module listens (fields: host, port)',
  WEB_REQUEST_FAILED: 'a request ended in an unexpected error; the user saw a generic error page (fields: method, path, status, err)',

  // recipients import/export (server/recipients)
  IMPORT_STARTED: 'a recipients CSV import started (fields: file)',
  IMPORT_FINISHED: 'a recipients CSV import finished (fields: rows, inserted, updated, rejected, seconds)',
  EXPORT_FINISHED: 'a recipients export finished (fields: rows, seconds)',

  // operators (server/cli, server/web)
  OPERATOR_CREATED: 'an operator account was created (fields: login, rights)',
  OPERATOR_PASSWORD_SET: 'an operator password was set or reset (fields: login)',
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
