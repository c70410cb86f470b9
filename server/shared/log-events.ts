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
  PROCESS_RELOADED:
    'a new valid config reached the module (from the watchdog, or SIGHUP to a module run alone) (fields: changed: keys that differ, applied: those in force now, atNextStart: the others, and what the module re-read)',
  PROCESS_CONSOLE: 'a library printed to the console; the text is kept here instead of stderr (fields: stream, text)',
  LOG_LINES_DROPPED:
    'the log file could not be written for a while (disk full, file gone); it was reopened and this many lines were lost (fields: dropped, err)',
  PROCESS_UNHEALTHY: 'a part of the module cannot do its job, e.g. the disk is full; the module keeps running and retries (fields: area, reason)',
  PROCESS_HEALTHY: 'the part that was failing works again (fields: area)',
  PROCESS_RELOAD_REJECTED: 'SIGHUP or a reload request: the new config is invalid, the module keeps the old one (fields: reason)',

  // metrics (server/shared/metrics): each module's Prometheus exposition
  METRICS_LISTENING: 'the module serves its Prometheus metrics on GET /metrics (fields: host, port)',
  METRICS_UNAVAILABLE: 'the metrics port could not be opened; the module runs on without metrics (fields: host, port, err)',
  METRICS_COLLECT_FAILED: 'a scrape could not collect every metric (e.g. the queue query failed) and answered 500 (fields: err)',

  // watchdog (server/watchdog): supervises the module processes
  WATCHDOG_STARTED: 'the watchdog serves its control port and starts the modules (fields: pid, controlPort, modules)',
  WATCHDOG_MODULE_STARTING: 'a module process was spawned (fields: name, pid)',
  WATCHDOG_MODULE_READY: 'a module reported ready (fields: name, pid, startMs)',
  WATCHDOG_MODULE_EXITED: 'a module process ended without being asked to (fields: name, pid, code, signal, uptimeMs)',
  WATCHDOG_MODULE_STOPPED: 'a module process ended after a stop or restart request (fields: name, pid, code, signal)',
  WATCHDOG_MODULE_CONFIG_ERROR: 'a module exited with code 78 (config error); it is not restarted until the config is fixed (fields: name, reason)',
  WATCHDOG_RESTART_SCHEDULED: 'a module that ended unexpectedly will be restarted (fields: name, delayMs, consecutive, crashLooping)',
  WATCHDOG_CRASH_LOOP:
    'a module crashed too often; it is now restarted at most once per crashLoopRestartDelayMs (fields: name, crashes, windowMs, retryEveryMs)',
  WATCHDOG_START_TIMEOUT: 'a module did not report ready within its startupTimeoutMs and is killed (fields: name, pid, timeoutMs)',
  WATCHDOG_HEARTBEAT_MISSED: 'a module stopped answering heartbeats and is killed (fields: name, pid, silentMs)',
  WATCHDOG_MEMORY_WARNING: 'a module uses more memory than its memoryWarningMb (fields: name, pid, rssMb, limitMb)',
  WATCHDOG_MEMORY_ALERT: 'a module uses more memory than its memoryAlertMb and is restarted gracefully (fields: name, pid, rssMb, limitMb)',
  WATCHDOG_MODULE_RESTARTING: 'a module is restarted gracefully: drained, then started again (fields: name, pid, reason)',
  WATCHDOG_MODULE_UNHEALTHY: 'a module answers its heartbeats but reports a part that cannot work, e.g. a full disk (fields: name, pid, problems)',
  WATCHDOG_MODULE_HEALTHY: 'a module that reported problems reports none any more (fields: name, pid)',
  WATCHDOG_FORCE_KILL: 'a module did not drain within watchdog.stopTimeoutMs and is killed (fields: name, pid)',
  WATCHDOG_RELOAD: 'the watchdog took a new config and handed it to its modules (fields: modules)',
  WATCHDOG_RELOAD_REFUSED:
    'a reload was refused (invalid config); every module keeps running, and any restart uses, the configuration loaded at loadedAt (fields: reason, loadedAt)',
  WATCHDOG_INSTANCE_CONFIG_ERROR: "an instance's site config cannot be loaded: none of its modules run, the other instances do (fields: instance, reason)",
  WATCHDOG_INSTANCE_STOPPING: "one instance's modules are drained on request (herald stop <instance>); the other instances run on (fields: instance)",
  WATCHDOG_INSTANCE_STOPPED: "one instance's modules have ended; they stay down until herald start <instance> (fields: instance)",
  WATCHDOG_INSTANCE_STAYS_STOPPED:
    'an instance stopped on request before the watchdog (re)started stays down until herald start <instance> (fields: instance, stoppedAt)',
  WATCHDOG_INSTANCE_STOP_UNRECORDED:
    'a stop on request could not be written down (e.g. a full disk): it holds until this watchdog ends (fields: instance, reason)',
  WATCHDOG_INSTANCE_STARTING: "one instance's modules are started on request (herald start <instance>) (fields: instance)",
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
  WEB_INSTANCE_SERVED: 'the web process serves one more instance of the appliance under its hosts (fields: instance, hosts)',
  WEB_INSTANCE_FAILED: 'an instance could not be opened by the web process (its database); its hosts answer 503 until a reload (fields: instance, err)',
  WEB_INSTANCE_CONFIG_ERROR:
    'an instance site config failed to load: the web process keeps serving what it served of it, or answers 503 on its hosts (fields: instance, reason, kept)',
  WEB_INSTANCE_DROPPED: 'an instance was removed: the web process no longer serves it (fields: instance)',
  WEB_REQUEST_FAILED: 'a request ended in an unexpected error; the user saw a generic error page (fields: method, path, status, err)',

  // web console security (server/web)
  WEB_LOGIN_SUCCEEDED: 'an operator logged in to the console (fields: login, ip)',
  WEB_LOGIN_FAILED: 'a console login failed: unknown login, wrong password or disabled account (fields: login, ip)',
  WEB_LOGIN_THROTTLED: 'a console login was refused before checking the password: too many recent failures (fields: login, ip, scope)',
  WEB_LOGOUT: 'an operator logged out (fields: login)',
  WEB_CSRF_REJECTED: 'a request that changes data came without a valid CSRF token or from another site; answered 403 (fields: method, path, reason)',
  WEB_INPUT_REJECTED: 'a console request held a NUL character or a value nested too deep; answered 400 (fields: method, path, where)',
  WEB_RIGHT_MISSING: 'an operator asked for a page that needs a right they lack; answered 403 (fields: login, path, right)',

  // web console recipient imports (server/web/imports)
  WEB_IMPORT_STARTED: 'a recipients CSV uploaded through the console is being imported (fields: job, bytes)',
  WEB_IMPORT_FINISHED: 'a console import finished (fields: job, rows, inserted, updated, rejected, seconds)',
  WEB_IMPORT_FAILED: 'a console import stopped on an error; rows of finished batches stay imported (fields: job, err)',
  WEB_BULK_STARTED: 'a bulk action on a filtered selection of recipients started in the background (fields: job, action, total)',
  WEB_BULK_FINISHED: 'a bulk action went through its whole selection (fields: job, done, affected)',
  WEB_BULK_FAILED: 'a bulk action stopped on an error; the batches done stay done (fields: job, err)',
  WEB_BULK_INTERRUPTED: 'the web module stopped during a bulk action; it resumes from its last recipient at the next start (fields: job, done)',
  WEB_BULK_RESUMED: 'a bulk action interrupted by a stop resumes (fields: job, lastId)',
  WEB_IMPORTS_INTERRUPTED: 'imports still marked running at start (the web module stopped during them) were marked failed (fields: count)',

  // web console deliveries, reports and monitoring (server/web)
  WEB_ANALYSIS_FAILED: 'an analysis started from the console failed after the page had answered; the delivery shows the error (fields: deliveryId, err)',
  WEB_LIVE_STREAM_FAILED: 'a live dashboard stream stopped on an error; the browser reconnects by itself (fields: err)',
  // workflows (server/workflows, run by the wfserver process and the CLI)
  WF_ENGINE_STARTED: 'the workflow server scheduled its workflows (fields: owner, scheduled, timezone)',
  WF_NO_JOB: 'a technical workflow is configured but this version has no job for it; it is not run (fields: workflow)',
  WF_SCHEDULE_INVALID: "a marketing workflow's schedule is not a valid cron expression; it is not scheduled (fields: workflow, schedule, err)",
  WF_CATCHUP: 'a schedule slot was missed (downtime, or a failed claim); it runs once now, however many were missed (fields: workflow, slot)',
  WF_FIRE_FAILED: 'a run could not be started (e.g. the database is unreachable); a later poll catches the slot up (fields: workflow, err)',
  WF_RUN_NOT_NEEDED: 'a run was not started: its slot already ran in another wfserver, or the workflow is not started (fields: workflow, reason, slot)',
  WF_RUN_SKIPPED: "a scheduled run was refused because the workflow's previous run still holds the lease (fields: workflow, slot, holder)",
  WF_RUN_STARTED: 'a workflow run started (fields: workflow, runId, trigger, slot)',
  WF_RUN_SUCCEEDED: 'a workflow run ended well (fields: workflow, runId, ms, counts)',
  WF_RUN_FAILED: 'a workflow run failed; the next run proceeds as scheduled (fields: workflow, runId, ms, err, counts)',
  WF_LEASE_LOST: 'a running workflow lost its lease (it expired and another wfserver took over) or could not release it (fields: workflow, owner)',
  WF_STATE_CHANGED: 'a workflow was started, paused, stopped, failed or finished (fields: workflow, from, to)',
  WF_CLEANUP_STEP: 'a database cleanup step finished (fields: step, cutoff, and the rows deleted per kind)',
  WF_SPOOL_FILE_KEPT: 'the spool file of purged inbound mail could not be deleted (fields: file, reason)',
  WF_DELIVERY_EXPIRED: 'a delivery reached the end of its validity: pending messages cancelled, delivery finished (fields: deliveryId, validityEnd, cancelled)',
  WF_DELIVERY_CREATED: 'a marketing workflow created a delivery from a template for its population (fields: workflow, activity, deliveryId, recipients)',
  WF_DELIVERY_STARTED:
    "a marketing workflow's delivery was analysed and started like an operator's delivery: start pending, or scheduled at its contact date (fields: workflow, activity, deliveryId, state, toDeliver)",
  WF_DELIVERY_EMPTY:
    "a marketing workflow's delivery was analysed and every recipient excluded: nothing to send, it stays ready (fields: workflow, activity, deliveryId)",
  WF_ACTIVITY_FAILED:
    'an activity of a marketing workflow failed (e.g. its delivery was blocked by a control rule); the run fails with the reason and the workflow is failed (fields: workflow, activity, err)',
  WF_AB_DECIDED: 'an A/B winner activity compared its two variants and picked the winner (fields: workflow, activity, testId, winner, decidedBy, criterion)',
  WF_AB_WINNER_SENT: "an A/B test's winner was sent to the rest of its target (fields: workflow, activity, testId, winner, recipients)",
  WF_AB_CONFIRMED: "an operator confirmed an A/B test's winner; the rest is sent at the next poll (fields: workflow, testId, winner, by)",
  WF_SIGNALLED: 'an API call signalled a workflow whose entry is a Signal activity (fields: workflow, taskId, by, recipients)',
  WF_TASK_WAITING: 'a marketing workflow population waits until its due time (fields: workflow, activity, taskId, recipients, dueAt)',
  // tracking module (server/tracking): the redirection server, never the database
  TRACKING_LISTENING: 'the tracking module listens (fields: host, port, deliveries, instances)',
  TRACKING_INSTANCE_SERVED: 'the tracking process serves one more instance of the appliance (fields: instance)',
  TRACKING_INSTANCE_FAILED: 'an instance could not be opened by the tracking process (its folders); its links get 404 (fields: instance, err)',
  TRACKING_INSTANCE_CONFIG_ERROR: 'an instance site config failed to load: the tracking process keeps what it served of it (fields: instance, reason)',
  TRACKING_INSTANCE_DROPPED: 'an instance was removed: the tracking process no longer serves it (fields: instance)',
  TRACKING_URLS_STORED: 'URL definitions of a delivery were pushed and stored (fields: deliveryId, urls)',
  TRACKING_URLS_REJECTED: 'a pushed URL definition was refused (fields: reason)',
  TRACKING_URLS_FILE_INVALID: 'a stored URL definition file could not be read at start and is ignored (fields: file, err)',
  TRACKING_URLS_PURGED: 'URL definitions past their retention were forgotten (fields: deliveries)',
  TRACKING_API_DENIED: 'an API call without the right key was refused (fields: path, ip)',
  TRACKING_HIT_LOG_FAILED: 'hits could not be written or synced to the hit log; they stay buffered and are retried (fields: err, buffered)',
  TRACKING_HIT_LOG_RECOVERED: 'the hit log is written again after a failure (fields: written)',
  TRACKING_HIT_LOG_DROPPED: 'the hit buffer was full while the disk failed; the oldest hits were dropped (fields: dropped)',
  TRACKING_HIT_LOGS_PURGED: 'hit log files past logRetentionDays, already ingested, were deleted (fields: files)',
  TRACKING_HIT_LOGS_NOT_SHIPPED: 'hit log files past logRetentionDays are kept: no ingest has stored them yet (fields: files)',
  TRACKING_HIT_LOGS_LOST: 'hit log files never ingested were deleted after unshippedRetentionDays (fields: files)',
  TRACKING_MAINTENANCE_FAILED: 'the hourly clean-up of expired definitions and old hit logs failed; retried next hour (fields: err)',
  TRACKING_REQUEST_FAILED: 'a request of the tracking module ended in an unexpected error; the client got a 500 (fields: path, err)',

  // tracking ingestion and URL publishing (server/tracking-data), run with the database
  TRACKING_PUBLISHED: 'the URL definitions of a delivery were pushed to every tracking server (fields: deliveryId, urls, servers)',
  TRACKING_PUBLISH_FAILED: 'a tracking server did not take the URL definitions of a delivery (fields: deliveryId, server, err)',
  TRACKING_INGEST_SERVER_FAILED: 'hits could not be pulled from a tracking server or stored; retried next run (fields: server, err)',
  TRACKING_CHECKPOINT_RESET: 'a tracking server has a new hit log (reinstalled or wiped); its hits are read from the start (fields: server)',
  TRACKING_INGEST_FINISHED: 'a tracking ingest run finished (fields: pulled, inserted, duplicates, deliveries, failedServers, ms)',

  // recipients import/export (server/recipients)
  IMPORT_STARTED: 'a recipients CSV import started (fields: file)',
  IMPORT_FINISHED: 'a recipients CSV import finished (fields: rows, inserted, updated, rejected, seconds)',
  EXPORT_FINISHED: 'a recipients export finished (fields: rows, seconds)',

  // MTA (server/mta)
  MTA_LEASES_RELEASED: 'at start, the queue leases this MTA held before a crash or kill were freed (fields: count, owner)',
  MTA_DOMAIN_BLOCKED:
    'a domain refused most messages over the last hour (distinct messages, ≥ errorBlockMinMessages) and still does; no mail goes to it until untilMs or `herald mta unblock` (fields: domain, errorRate, messages, untilMs)',
  MTA_DOMAIN_UNBLOCKED:
    'a domain block was lifted in the database (herald mta unblock, the console); this MTA sends to it again and makes the messages it pushed back due (fields: domain, rescheduled)',
  MTA_DOMAIN_SLOWED: 'a domain crossed the slow-down error rate; its rate and connections are halved (fields: domain, errorRate, messages)',
  MTA_DOMAIN_BACKOFF:
    'a domain could not be reached (DNS, connection refused or timed out, greeting refused, a 421 at any stage); its messages wait mta.domainBackoffSec, then one probes it (fields: domain, destination, retryInMs, err)',
  MTA_DOMAIN_REACHABLE: 'a domain that was backing off answered again; its messages go at once (fields: domain, destination, afterMs)',
  MTA_MESSAGE_ERROR: 'a local error (database, disk) while handling a message; it goes back to the queue unattempted (fields: deliveryId, broadLogId, err)',
  MTA_DELIVERY_STATE: 'the MTA moved a delivery to another state (fields: deliveryId, from, to)',
  MTA_BUILD_FAILED: 'a message could not be personalized or built; it fails alone (fields: deliveryId, broadLogId, err)',
  MTA_OWNER_NAME_TAKEN:
    'a live MTA process of another host (or this one) holds this lease owner name; this one waits for it to lapse, then refuses to start (fields: owner, host, pid)',
  MTA_OWNER_NAME_LOST: 'this MTA stalled past its registration and another process took its lease owner name; it stops sending (fields: owner)',
  MTA_LEASES_LOST:
    'outcomes of messages whose lease another MTA took over (this one stalled past the expiry) were dropped; that MTA settles them (fields: count, owner)',
  MTA_COMMIT_FAILED: 'writing message outcomes failed; they are retried at the next commit (fields: count, err)',
  MTA_RULES_INVALID: 'a reload could not read the bounce rules file; the MTA keeps qualifying with the rules it had (fields: err)',
  MTA_LOOP_ERROR: 'the send loop hit an unexpected error and continues after a pause (fields: err)',
  MTA_STAT_SERVER_DOWN:
    'the stat server (mta.statServer) does not answer or refuses this MTA; it paces with its local limits until the server is back (fields: server, reason)',
  MTA_STAT_SERVER_BACK: 'the stat server answers again; this MTA takes its sending slots from it again (fields: server, peers, downMs)',

  // stat server (server/stat): sending limits shared by the MTAs that register with it
  STAT_LISTENING: 'the stat server takes registrations and grant requests (fields: host, port)',
  STAT_REQUEST_REFUSED: 'a request without a good signature was refused (logged once per peer address and reason) (fields: from, reason)',

  // deliveries (server/delivery)
  DELIVERY_CREATED: 'a delivery or a proof was created (fields: deliveryId, internalName, kind)',
  CONTENT_BLOCK_SAVED:
    'an operator created or changed a content block: every content that includes it gets the new version at its next analysis (fields: name, created)',
  CONTENT_TEMPLATE_SAVED: 'an operator added a template to the gallery or replaced one (fields: name, created)',
  LANDING_PAGE_SAVED: 'an operator created or changed a landing page; visitors see the change once it is published again (fields: pageId, slug)',
  LANDING_PAGE_PUBLISHED: 'an operator published a landing page at /l/<slug> (compiled now) or withdrew it (fields: pageId, slug, published)',
  DELIVERY_EDITED: 'the content, target or settings of a delivery changed; it needs a new analysis (fields: deliveryId, from, fields)',
  DELIVERY_ANALYSIS_STARTED: 'the analysis of a delivery started (fields: deliveryId, force)',
  DELIVERY_ANALYSED: 'an analysis ended; the delivery is ready (fields: deliveryId, totalTarget, excluded, toDeliver, links, warnings, seconds)',
  DELIVERY_ANALYSIS_BLOCKED: 'an analysis ended with control-rule errors; the delivery is back in editing (fields: deliveryId, errors, rules)',
  DELIVERY_ANALYSIS_FAILED: 'an analysis could not finish; the delivery is failed (fields: deliveryId, err)',
  DELIVERY_LOCAL_SEND_PLANNED:
    "a delivery sent at a local time of day started: its messages got their send times in their recipients' zones (fields: deliveryId, time, messages, byTime)",
  DELIVERY_STATE_CHANGED: 'an operator or a module moved a delivery to another state (fields: deliveryId, from, to, by)',
  DELIVERY_PENDING_CANCELLED: 'the pending messages of a stopped delivery were cancelled (fields: deliveryId, cancelled)',
  DELIVERY_DKIM_KEYS_LOADED: 'DKIM signing keys were read (fields: keys: domain/selector/algorithm/bits, never the key)',
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
  INMAIL_COMPLAINT:
    'a feedback-loop report unsubscribed a recipient and, for a spam complaint, denylisted the address (fields: spoolId, broadLogId, denylisted)',
  INMAIL_BATCH_APPLIED:
    'a batch of processed messages was written (fields: messages, kept, quarantined, denylisted, unsubscribed, duplicates: mailbox messages an earlier run had already applied)',
  INMAIL_MAILBOX_STARTED: 'a bounce mailbox is read (fields: mailbox, protocol, host, port, tls, folder)',
  INMAIL_MAILBOX_READ: 'messages of a bounce mailbox were processed and moved or deleted (fields: mailbox, fetched, processed, unrecognised, parked, finished)',
  INMAIL_MAILBOX_ERROR: 'reading a bounce mailbox failed; retried with backoff, shown on the monitoring page (fields: mailbox, err, retryInMs)',
  INMAIL_MAILBOX_SKIPPED: 'a message of a bounce mailbox is larger than inmail.maxMessageBytes and stays in the mailbox (fields: mailbox, key, size)',
  INMAIL_UNSUBSCRIBED: 'a mailto List-Unsubscribe request unsubscribed a recipient (fields: spoolId, recipientId, serviceId)',
  INMAIL_MESSAGE_KEPT: 'a message was kept for review: unmatched, unparsable or forged (fields: spoolId, status, kind, reason)',
  INMAIL_BATCH_FAILED: 'writing a batch of effects failed; retried later if the database is down, else message by message (fields: messages, databaseUp, err)',
  INMAIL_MESSAGE_PARKED: 'a message whose effects cannot be written was set aside under the spool kept/ folder (fields: spoolId, file, err)',
  INMAIL_PARSER_FAILED: 'a parser thread reported an error (fields: err)',
  INMAIL_PARSER_REPLACED: 'a parser thread overran its time budget or died and was replaced (fields: reason)',

  // operators (server/cli, server/web)
  OPERATOR_CREATED: 'an operator account was created (fields: login, rights)',
  OPERATOR_PASSWORD_SET: 'an operator password was set or reset (fields: login)',
  OPERATOR_UPDATED: 'an administrator changed an operator (rights, name, enabled or disabled) (fields: login, by)',

  // public forms, one-click unsubscribe and mirror pages (server/web/public)
  PUBLIC_SIGNUP_ACCEPTED: 'a subscription request was stored and its confirmation mail queued (fields: signupId, services)',
  PUBLIC_SIGNUP_DROPPED:
    'a subscription request was dropped without telling the sender: honeypot filled, sent too fast, or the address had its confirmations for the day (fields: reason)',
  PUBLIC_SIGNUP_CONFIRMED: 'a confirmation link was used; the subscriptions are active (fields: signupId, recipientId, services)',
  PUBLIC_UNSUBSCRIBED: 'a recipient unsubscribed through a link: one service, or all email when serviceId is 0 (fields: recipientId, serviceId, origin)',
  PUBLIC_PREFERENCES_SAVED: 'a recipient saved the preference centre (fields: recipientId, subscribed, unsubscribed, noEmail)',
  PUBLIC_FORM_REJECTED: 'a public form was sent without a valid form token, with an expired one or from another site; answered 403 (fields: path, reason)',
  PUBLIC_RATE_LIMITED: 'a public form submit was refused: too many from one client address in a minute; answered 429 (fields: path)',
  PUBLIC_HOUSEKEEPING: 'old signups, rate counters, events and callback log rows were deleted (fields: signups, rateLimits, events, webhooks)',
  PUBLIC_HOUSEKEEPING_FAILED: 'the hourly clean-up of the public side failed; it runs again in an hour (fields: err)',

  // REST API (server/api)
  API_AUTH_FAILED: 'an API request had no key, or an unknown, expired or revoked one; answered 401 (fields: prefix, reason, ip)',
  API_SCOPE_MISSING: 'an API key lacks the scope a route needs; answered 403 (fields: key, path, scope)',
  API_INPUT_REJECTED: 'an API request held a NUL character or a value nested too deep; answered 400 (fields: method, path, where)',
  API_RATE_LIMITED: 'an API key sent more requests than its rate; answered 429 (fields: key)',
  API_CROSS_SITE_REJECTED: 'an API request came from a browser on another site (Origin, Sec-Fetch-Site); answered 403 (fields: method, path)',
  API_REQUEST_FAILED: 'an API request ended in an unexpected error; the caller got 500 with a reference (fields: method, path, reference, err)',
  API_RECIPIENT_ERASED: 'the personal data of a recipient was erased; the anonymous row stays for the counts (fields: recipientId, key)',
  API_KEY_CREATED: 'an API key was created (fields: name, prefix, scopes; never the secret)',
  API_KEY_REVOKED: 'an API key was revoked (fields: name, prefix)',

  // transactional events (server/events)
  EVENT_TYPE_PUBLISHED: 'a template was published for an event type; its next events get the new content (fields: type, templateId, version, warnings)',
  EVENT_TYPE_UNPUBLISHED: 'the template of an event type was withdrawn; its next events are not covered (fields: type)',
  EVENT_DELIVERY_OPENED: 'a delivery was opened for the messages of an event type in a month (fields: type, version, period, deliveryId)',
  EVENT_TEMPLATE_UNUSABLE:
    'the published template of an event type cannot be compiled; its events are not covered until it is published again (fields: type, err)',
  EVENT_PUBLISH_FAILED:
    'the tracking URLs of a transactional delivery did not reach every tracking server; tried again at the next events (fields: deliveryId, err)',
  EVENT_BATCH_FAILED: 'a batch of events could not be stored; their callers got 503 and may retry with the same idempotency key (fields: count, err)',

  // webhooks (server/webhooks)
  WEBHOOK_SOURCE_STARTED: 'a webhook source had no cursor yet; it starts after the events that already exist (fields: source, position)',
  WEBHOOK_GIVEN_UP: 'a callback failed its last attempt and is marked failed in the callback log (fields: endpoint, id, attempts, status, err)',
  WEBHOOK_RUN_FAILED: 'a round of the webhook loop failed; it runs again at the next look (fields: err)',

  // SMS module (server/sms)
  SMS_BOUND: 'an SMPP connection is bound to its SMSC (fields: connector, host, port, mode)',
  SMS_BIND_REFUSED: 'the SMSC refused the bind (wrong system_id or password?); the connector tries again later (fields: connector, status)',
  SMS_CONNECTION_ERROR: 'an SMPP connection failed (fields: connector, err)',
  SMS_CONNECTION_DROPPED: 'an SMPP connection was closed by Herald (fields: connector, reason)',
  SMS_RECONNECTING: 'an SMPP connection is lost; it is opened again after a delay (fields: connector, inMs)',
  SMS_THROTTLED:
    'the SMSC asked to slow down (ESME_RTHROTTLED or ESME_RMSGQFUL); the connector pauses and the SMS is sent again (fields: connector, status, pauseMs)',
  SMS_INBOUND_DEFERRED: 'a receipt or reply could not be stored; the SMSC got a temporary error and sends it again (fields: connector, err)',
  SMS_LEASES_RELEASED: 'at start, the queue leases the SMS module held before a crash or kill were freed (fields: count, owner)',
  SMS_LEASES_LOST:
    'SMS outcomes were not written: their messages are no longer leased to this process (its leases ran out and were taken again) (fields: count, owner)',
  SMS_NO_CONNECTOR: 'SMS deliveries are running but no [[sms.connectors]] is configured; their messages wait (fields: deliveries)',
  SMS_DELIVERY_STATE: 'the SMS module moved a delivery to its next state (fields: deliveryId, from, to)',
  SMS_LOOP_ERROR: 'a round of the SMS send loop failed; it goes on after a pause (fields: err)',
  SMS_BUILD_FAILED: 'an SMS could not be personalized; it fails alone (fields: deliveryId, broadLogId, err)',
  SMS_COMMIT_FAILED: 'SMS outcomes or receipts could not be written; they are kept and written at the next commit (fields: count, err)',
  SMS_RECEIPTS_UNMATCHED: 'delivery receipts named message ids no submitted SMS has (fields: connector, count)',
  SMS_STOP_RECEIVED: 'a STOP word unsubscribed a number from SMS (fields: connector, keyword, recipients)',
  SMS_REPLY_KEPT: 'a reply that is no STOP word was kept for review (fields: connector)',
  PUSH_LEASES_RELEASED: 'at start, the queue leases the push module held before a crash or kill were freed (fields: count, owner)',
  PUSH_LEASES_LOST: 'push outcomes were not written: their messages are no longer leased to this process (fields: count, owner)',
  PUSH_DELIVERY_STATE: 'the push module moved a delivery to its next state (fields: deliveryId, from, to)',
  PUSH_LOOP_ERROR: 'a round of the push send loop failed; it goes on after a pause (fields: err)',
  PUSH_BUILD_FAILED: 'a push notification could not be personalized; it fails alone (fields: deliveryId, broadLogId, err)',
  PUSH_SUBSCRIPTION_EXPIRED: 'the push service answered 404 or 410: the subscription is expired and quarantined (fields: subscriptionId)',
  PUSH_SUBSCRIBED: 'a browser subscribed a recipient to web push on the public page (fields: recipientId, subscriptionId, created)',
  ROUTING_FILE_WRITTEN:
    'an extraction file of direct mail or fax messages is in the spool folder, its messages sent to the provider (fields: provider, deliveryId, extractionId, file, messages)',
  ROUTING_FILE_REWRITTEN: 'an extraction a crash interrupted was written again from its messages (fields: provider, extractionId)',
  ROUTING_FILE_UPLOADED: "an extraction file was uploaded to its provider's SFTP server (fields: provider, extractionId, file, host)",
  ROUTING_UPLOAD_FAILED: 'an extraction file could not be uploaded; the next run tries again (fields: provider, extractionId, err)',
  ROUTING_RETURNS_FETCHED: "return files were downloaded from the provider's SFTP server (fields: provider, files)",
  ROUTING_RETURNS_FETCH_FAILED: "the provider's SFTP return folder could not be read; the next run tries again (fields: provider, err)",
  ROUTING_RETURN_IMPORTED: 'a return file was imported into the messages (fields: provider, file, rows, applied, unchanged, rejected)',
  ROUTING_RETURN_REJECTED: 'a return file was set aside unread (too large or not text) in returns/rejected/ (fields: provider, file, reason)',
  ROUTING_DELIVERY_STATE: 'the routing workflow moved a direct mail or fax delivery to its next state (fields: deliveryId, from, to)',
} as const;

export type LogEvent = keyof typeof LOG_EVENTS;
