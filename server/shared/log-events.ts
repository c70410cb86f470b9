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

  // inMail, the inbound bounce server (server/inmail, server/bounce)
  INMAIL_LISTENING: 'the inMail SMTP server listens (fields: host, port, rules)',
  INMAIL_RULES_LOADED: 'the bounce qualification rules were (re)loaded (fields: file, rules)',
  INMAIL_RULES_INVALID: 'a rules file reload was refused; the previous rules stay in force (fields: err)',
  INMAIL_CONNECTION_REFUSED: 'an SMTP connection was refused by a limit (fields: remote, reason)',
  INMAIL_SMTP_ERROR: 'an SMTP connection ended with a network or protocol error; debug level (fields: reason)',
  INMAIL_SESSION_EXPIRED: 'an SMTP session outlived inmail.sessionTimeoutMs and was closed (fields: remote)',
  INMAIL_MESSAGE_REFUSED: 'a message was refused after DATA (fields: remote, code, reason)',
  INMAIL_SPOOL_FAILED: 'a message could not be written to the spool; the client got 452 (fields: err)',
  INMAIL_RECOVERED: 'spooled messages left from a previous run were queued for processing (fields: messages)',
  INMAIL_COMPLAINT: 'a feedback-loop report unsubscribed a recipient and, for a spam complaint, denylisted the address (fields: spoolId, broadLogId, denylisted)',
  INMAIL_BATCH_APPLIED: 'a batch of processed messages was written (fields: messages, kept, quarantined, denylisted, unsubscribed)',
  INMAIL_UNSUBSCRIBED: 'a mailto List-Unsubscribe request unsubscribed a recipient (fields: spoolId, recipientId, serviceId)',
  INMAIL_MESSAGE_KEPT: 'a message was kept for review: unmatched, unparsable or forged (fields: spoolId, status, kind, reason)',
  INMAIL_BATCH_FAILED: 'writing a batch of effects failed; retried later if the database is down, else message by message (fields: messages, databaseUp, err)',
  INMAIL_MESSAGE_PARKED: 'a message whose effects cannot be written was set aside under the spool kept/ folder (fields: spoolId, file, err)',
  INMAIL_PARSER_FAILED: 'a parser thread reported an error (fields: err)',
  INMAIL_PARSER_REPLACED: 'a parser thread overran its time budget or died and was replaced (fields: reason)',

  // operators (server/cli, server/web)
  OPERATOR_CREATED: 'an operator account was created (fields: login, rights)',
  OPERATOR_PASSWORD_SET: 'an operator password was set or reset (fields: login)',
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
