/**
 * Every log event code Herald writes, documented once. A log line is an event code plus fields,
 * e.g. `{"event":"DB_UNREACHABLE","attempt":3,"retryInMs":4000}`. Codes are UPPER_SNAKE, grouped by
 * the part of Herald that writes them; the logger only accepts codes listed here.
 */
export const LOG_EVENTS = {
  // process lifecycle (server/shared/run-process.ts), every module
  PROCESS_STARTING: 'a module process is starting (fields: pid, node)',
  PROCESS_READY: 'the module finished starting and takes work',
  PROCESS_STOPPING: 'the module drains: stops taking work, finishes in-flight work (fields: signal)',
  PROCESS_STOPPED: 'the module drained and exits',
  PROCESS_SHUTDOWN_FORCED: 'draining took longer than process.shutdownTimeoutMs; the module exits anyway',
  PROCESS_START_FAILED: 'the module could not start (fields: err)',
  PROCESS_CRASHED: 'an uncaught exception or unhandled rejection ends the process (fields: err)',
  PROCESS_PARENT_GONE: 'the watchdog that started this module disappeared; the module stops',

  // database (server/db)
  DB_CONNECTED: 'the database answered (fields: dialect, version)',
  DB_UNREACHABLE: 'the database could not be reached; retrying with backoff (fields: attempt, retryInMs, err)',
  DB_MIGRATION_APPLIED: 'a schema migration was applied (fields: migration, ms)',
  DB_MIGRATIONS_PENDING: 'the schema is behind the code; run `herald db migrate` (fields: pending)',

  // web module (server/web)
  WEB_LISTENING: 'the web module listens (fields: host, port)',
  WEB_REQUEST_FAILED: 'a request ended in an unexpected error; the user saw a generic error page (fields: method, path, status, err)',

  // web console security (server/web)
  WEB_LOGIN_SUCCEEDED: 'an operator logged in to the console (fields: login, ip)',
  WEB_LOGIN_FAILED: 'a console login failed: unknown login, wrong password or disabled account (fields: login, ip)',
  WEB_LOGIN_THROTTLED: 'a console login was refused before checking the password: too many recent failures (fields: login, ip, scope)',
  WEB_LOGOUT: 'an operator logged out (fields: login)',
  WEB_CSRF_REJECTED: 'a request that changes data came without a valid CSRF token or from another site; answered 403 (fields: method, path, reason)',
  WEB_RIGHT_MISSING: 'an operator asked for a page that needs a right they lack; answered 403 (fields: login, path, right)',

  // web console recipient imports (server/web/imports)
  WEB_IMPORT_STARTED: 'a recipients CSV uploaded through the console is being imported (fields: job, bytes)',
  WEB_IMPORT_FINISHED: 'a console import finished (fields: job, rows, inserted, updated, rejected, seconds)',
  WEB_IMPORT_FAILED: 'a console import stopped on an error; rows of finished batches stay imported (fields: job, err)',
  WEB_IMPORTS_INTERRUPTED: 'imports still marked running at start (the web module stopped during them) were marked failed (fields: count)',

  // recipients import/export (server/recipients)
  IMPORT_STARTED: 'a recipients CSV import started (fields: file)',
  IMPORT_FINISHED: 'a recipients CSV import finished (fields: rows, inserted, updated, rejected, seconds)',
  EXPORT_FINISHED: 'a recipients export finished (fields: rows, seconds)',

  // operators (server/cli, server/web)
  OPERATOR_CREATED: 'an operator account was created (fields: login, rights)',
  OPERATOR_PASSWORD_SET: 'an operator password was set or reset (fields: login)',
  OPERATOR_UPDATED: 'an administrator changed an operator (rights, name, enabled or disabled) (fields: login, by)',
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
