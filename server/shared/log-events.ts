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

  // recipients import/export (server/recipients)
  IMPORT_STARTED: 'a recipients CSV import started (fields: file)',
  IMPORT_FINISHED: 'a recipients CSV import finished (fields: rows, inserted, updated, rejected, seconds)',
  EXPORT_FINISHED: 'a recipients export finished (fields: rows, seconds)',

  // MTA (server/mta)
  MTA_LEASES_RELEASED: 'at start, the queue leases this MTA held before a crash or kill were freed (fields: count, owner)',
  MTA_DOMAIN_BLOCKED: 'a domain crossed the error-rate block threshold; no mail goes to it until untilMs (fields: domain, errorRate, messages, untilMs)',
  MTA_DOMAIN_SLOWED: 'a domain crossed the slow-down error rate; its rate and connections are halved (fields: key)',
  MTA_DELIVERY_STATE: 'the MTA moved a delivery to another state (fields: deliveryId, from, to)',
  MTA_BUILD_FAILED: 'a message could not be personalized or built; it fails alone (fields: deliveryId, broadLogId, err)',
  MTA_COMMIT_FAILED: 'writing message outcomes failed; they are retried at the next commit (fields: count, err)',
  MTA_LOOP_ERROR: 'the send loop hit an unexpected error and continues after a pause (fields: err)',

  // operators (server/cli, server/web)
  OPERATOR_CREATED: 'an operator account was created (fields: login, rights)',
  OPERATOR_PASSWORD_SET: 'an operator password was set or reset (fields: login)',
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
