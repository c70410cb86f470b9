import { validate as validCron } from 'node-cron';
import { defaultPort, parseDatabaseUrl } from './database-url.js';
import { isCountryCode } from '../phone-number.js';
import { parseColumn } from '../routing-columns.js';
import { LANGUAGES } from '../glossary.js';
import { bool, int, list, num, oneOf, refine, secret, str, table, tableList, withDefault, type Infer, type Issue } from './schema-kit.js';

/**
 * The shape of Herald's configuration. Every key here has its default and a one-line comment in
 * `config/default.toml`; a test keeps the two in step.
 */

const port = () => int({ min: 0, max: 65535 });
const url = () => str({ pattern: /^https?:\/\/[^\s/?#]+[^\s]*$/, patternHint: 'an http(s) URL' });
const key = () => secret({ minLength: 32 });

/** `HH:MM` (24 h, local time) or empty for "never". */
const timeOfDay = () => str({ pattern: /^$|^([01]\d|2[0-3]):[0-5]\d$/, patternHint: 'a time of day as "HH:MM", or "" for never' });

/** How the watchdog runs one module (Adobe's per-module autoStart, runLevel, memory limits, processRestartTime). */
const moduleSwitch = () =>
  table({
    autoStart: bool(),
    runLevel: int({ min: 0, max: 99 }),
    startupTimeoutMs: int({ min: 100, max: 3_600_000 }),
    heartbeatIntervalMs: int({ min: 50, max: 600_000 }),
    heartbeatTimeoutMs: int({ min: 100, max: 3_600_000 }),
    memoryWarningMb: int({ min: 1, max: 1_000_000 }),
    memoryAlertMb: int({ min: 1, max: 1_000_000 }),
    processRestartTime: timeOfDay(),
  });

/** A cron expression: minute hour day-of-month month day-of-week, with an optional leading seconds field. */
const cron = () => refine(str({ min: 1 }), (v) => (validCron(v) ? undefined : `expected a cron expression such as "0 4 * * *", got "${v}"`));
const days = () => int({ min: 0, max: 36_500 });
const timezone = () =>
  refine(str(), (v) => {
    if (v === '') return undefined;
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return undefined;
    } catch {
      return `expected an IANA time zone such as "Europe/Paris" (or "" for the server's), got "${v}"`;
    }
  });
const workflowSchedule = () => table({ schedule: cron(), enabled: bool() });

export const MODULE_NAMES = ['web', 'tracking', 'stat', 'mta', 'inmail', 'wfserver', 'sms', 'push'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export function isModuleName(name: string): name is ModuleName {
  return (MODULE_NAMES as readonly string[]).includes(name);
}

export const configSchema = table({
  instanceName: str({ pattern: /^[a-z0-9][a-z0-9-]{0,39}$/, patternHint: '1–40 lowercase letters, digits or dashes' }),
  dataDir: str({ min: 1 }),

  secrets: table({
    trackingKey: key(),
    sessionKey: key(),
    bounceKey: key(),
    /** The keys before a rotation: still accepted when verifying, never used to sign. */
    previousTrackingKey: secret({ minLength: 32, optional: true }),
    previousBounceKey: secret({ minLength: 32, optional: true }),
    /** Authenticates Herald's calls to the tracking servers' API; empty: derived from trackingKey. */
    trackingApiKey: secret({ minLength: 32, optional: true }),
    /** Signs the requests between the MTAs and the stat server (the same on every machine that shares one). */
    statKey: secret({ minLength: 32, optional: true }),
    /** VAPID private key of web push (a P-256 private key, 32 octets base64url); the public key is derived from it. */
    vapidPrivateKey: secret({ minLength: 43, optional: true }),
  }),

  database: table({
    dialect: oneOf(['sqlite', 'mssql', 'postgres'] as const),
    /** postgres://… or mssql://…: when set, gives dialect, host, port, name, user, password (and TLS). */
    url: secret({ optional: true }),
    sqliteFile: str({ min: 1 }),
    busyTimeoutMs: int({ min: 100, max: 600_000 }),
    synchronous: oneOf(['NORMAL', 'FULL'] as const),
    host: str(),
    port: port(),
    name: str(),
    user: str(),
    password: secret({ optional: true }),
    encrypt: bool(),
    trustServerCertificate: bool(),
    poolMax: int({ min: 1, max: 200 }),
    connectTimeoutMs: int({ min: 100 }),
    requestTimeoutMs: int({ min: 100 }),
    retryMaxDelayMs: int({ min: 100 }),
  }),

  log: table({
    level: oneOf(['error', 'warn', 'info', 'debug'] as const),
    maxSizeMb: int({ min: 1, max: 10_000 }),
    maxFiles: int({ min: 1, max: 1000 }),
    console: oneOf(['auto', 'always', 'never'] as const),
  }),

  process: table({
    shutdownTimeoutMs: int({ min: 100, max: 600_000 }),
  }),

  web: table({
    host: str({ min: 1 }),
    port: port(),
    publicUrl: url(),
    /** Host names (the Host header) under which the one web process serves this instance. */
    hosts: list(str({ pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/, patternHint: 'a lower-case host name, optionally with :port' })),
    trustProxy: bool(),
    sessionIdleMinutes: int({ min: 1, max: 24 * 60 }),
    sessionAbsoluteHours: int({ min: 1, max: 24 * 30 }),
    loginWindowMinutes: int({ min: 1, max: 24 * 60 }),
    loginMaxFailuresPerAccountIp: int({ min: 1, max: 1000 }),
    loginMaxFailuresPerAccount: int({ min: 1, max: 10_000 }),
    loginMaxFailuresPerIp: int({ min: 1, max: 100_000 }),
    deviceCookieDays: int({ min: 0, max: 365 }),
    formMaxKb: int({ min: 1, max: 10_240 }),
    importMaxMb: int({ min: 1, max: 10_240 }),
    deliveryFormMaxKb: int({ min: 16, max: 10_240 }),
    setupDnsCheck: bool(),
    setupDnsServers: list(str({ pattern: /^[0-9a-fA-F.:[\]]+$/, patternHint: 'an IP address, optionally with :port' })),
  }),

  tracking: table({
    host: str({ min: 1 }),
    port: port(),
    publicUrl: url(),
    /** Host names of this instance's tracked links (links without an instance tag are served by the instance of their host). */
    hosts: list(str({ pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/, patternHint: 'a lower-case host name, optionally with :port' })),
    /** Sign the instance name into tracked links (herald instance add sets it): instances may then share one tracking host. */
    instanceTag: bool(),
    servers: list(url()),
    expirationUrl: str({ pattern: /^(https?:\/\/[^\s/?#]+[^\s]*)?$/, patternHint: 'an http(s) URL or ""' }),
    urlStoreDir: str({ min: 1 }),
    logDir: str({ min: 1 }),
    flushIntervalMs: int({ min: 10, max: 10_000 }),
    logFileMaxMb: int({ min: 1, max: 4096 }),
    logRetentionDays: int({ min: 1, max: 3650 }),
    unshippedRetentionDays: int({ min: 1, max: 3650 }),
    keepDefinitionsDays: int({ min: 1, max: 3650 }),
    pullBatchSize: int({ min: 1, max: 10_000 }),
    apiTimeoutMs: int({ min: 100, max: 600_000 }),
    trustProxy: bool(),
    personCookie: bool(),
    openDedupSeconds: int({ min: 0, max: 86_400 }),
  }),

  mail: table({
    bounceDomain: str({ pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, patternHint: 'a domain name' }),
    verpPrefix: str({ pattern: /^[a-z0-9][a-z0-9._-]{0,19}$/, patternHint: 'a short local-part prefix (a-z, 0-9, . _ -)' }),
    messageIdDomain: str({ pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, patternHint: 'a domain name' }),
  }),

  mta: table({
    instanceId: str({ pattern: /^$|^[A-Za-z0-9._-]{1,60}$/, patternHint: 'empty or 1–60 characters: letters, digits, . _ -' }),
    transport: oneOf(['capture', 'smtp', 'verify'] as const),
    captureDir: str({ min: 1 }),
    relayHost: str(),
    relayPort: port(),
    relayUser: str(),
    relayPassword: secret({ optional: true }),
    heloName: str(),
    tls: oneOf(['opportunistic', 'required', 'disabled'] as const),
    tlsVerify: bool(),
    tlsCaFile: str(),
    relayImplicitTls: bool(),
    claimBatch: int({ min: 1, max: 1000 }),
    maxInFlight: int({ min: 1, max: 10_000 }),
    leaseSeconds: int({ min: 30 }),
    idlePollMs: int({ min: 50, max: 60_000 }),
    commitIntervalMs: int({ min: 5, max: 5_000 }),
    connectTimeoutMs: int({ min: 100 }),
    greetingTimeoutMs: int({ min: 100 }),
    socketTimeoutMs: int({ min: 100 }),
    idleConnectionMs: int({ min: 100 }),
    globalMessagesPerSecond: int({ min: 0 }),
    /** "host:port" of the stat server whose slots this MTA takes; "" for the local limits alone. */
    statServer: str({ pattern: /^$|^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, patternHint: '"host:port" or ""' }),
    statTimeoutMs: int({ min: 50, max: 60_000 }),
    /** The public address this MTA's mail comes from: MTAs with the same one share one set of limits in the stat server. */
    publicIp: str({ pattern: /^$|^[A-Za-z0-9._:-]{1,60}$/, patternHint: 'an IP address (or a name for it), or ""' }),
    quickRetryDelaysSec: list(int({ min: 1 })),
    retryPeriodMinutes: int({ min: 1 }),
    retryCount: int({ min: 0, max: 100 }),
    sendTimeCheckSec: int({ min: 1, max: 60 }),
    errorBlockMinMessages: int({ min: 1 }),
    errorBlockRate: num({ min: 0.01, max: 1 }),
    errorSlowRate: num({ min: 0.01, max: 1 }),
    errorBlockHours: num({ min: 0, max: 168 }),
    errorReviewSec: int({ min: 1, max: 3600 }),
    domainBackoffSec: list(int({ min: 1, max: 3600 })),
    routes: tableList({
      domain: str({ min: 1 }),
      hosts: list(str({ pattern: /^[^\s:]+(:\d{1,5})?$/, patternHint: 'host or host:port' })),
      tls: withDefault(oneOf(['', 'opportunistic', 'required', 'disabled'] as const), ''),
      tlsVerify: withDefault(bool(), true),
    }),
    domainRules: tableList({
      match: str({ min: 1 }),
      shared: bool(),
      maxConnections: int({ min: 1, max: 1000 }),
      maxMessagesPerConnection: int({ min: 1 }),
      messagesPerHour: int({ min: 0 }),
    }),
  }),

  recipients: table({
    importBatchSize: int({ min: 1, max: 5000 }),
    bulkBatchSize: int({ min: 1, max: 5000 }),
    bulkPauseMs: int({ min: 0, max: 10_000 }),
    defaultCountry: refine(str(), (v) =>
      v === '' || isCountryCode(v) ? undefined : `expected a two-letter ISO 3166 country code in capitals such as "FR" (or "" for none), got "${v}"`,
    ),
  }),

  wfserver: table({
    leaseSeconds: int({ min: 10, max: 86_400 }),
    pollSeconds: int({ min: 1, max: 3600 }),
    timezone: timezone(),
    indicatorDays: days(),
    workflows: table({
      tracking: workflowSchedule(),
      deliveryIndicators: workflowSchedule(),
      cleanup: workflowSchedule(),
      quarantineRelease: workflowSchedule(),
      deliveryScheduler: workflowSchedule(),
      mtaStats: workflowSchedule(),
      subscriptionExpiry: workflowSchedule(),
      reportStats: workflowSchedule(),
      routing: workflowSchedule(),
    }),
    cleanup: table({
      batchSize: int({ min: 10, max: 4000 }),
      batchPauseMs: int({ min: 0, max: 10_000 }),
      deletedDeliveryDays: days(),
      deliveryDataDays: days(),
      workflowRunDays: days(),
      inboundMessageDays: days(),
      importJobDays: days(),
      validQuarantineDays: days(),
      trackingLogDays: days(),
      trackingStatDays: days(),
      broadLogDays: days(),
      smtpStatDays: days(),
    }),
  }),

  quarantine: table({
    maxErrors: int({ min: 1, max: 100 }),
    errorIntervalHours: int({ min: 0, max: 24 * 365 }),
    softErrorReleaseDays: int({ min: 1, max: 3650 }),
    mailboxFullReleaseDays: int({ min: 1, max: 3650 }),
  }),

  watchdog: table({
    controlPort: port(),
    pidFile: str({ min: 1 }),
    backoffInitialMs: int({ min: 1, max: 600_000 }),
    backoffFactor: num({ min: 1, max: 10 }),
    backoffMaxMs: int({ min: 1, max: 3_600_000 }),
    stableAfterMs: int({ min: 100, max: 86_400_000 }),
    crashLoopCount: int({ min: 2, max: 1000 }),
    crashLoopWindowMs: int({ min: 1000, max: 86_400_000 }),
    crashLoopRestartDelayMs: int({ min: 100, max: 86_400_000 }),
    stopTimeoutMs: int({ min: 100, max: 600_000 }),
  }),

  metrics: table({
    enabled: bool(),
    host: str({ min: 1 }),
    ports: table({ watchdog: port(), web: port(), tracking: port(), mta: port(), inmail: port(), wfserver: port(), sms: port(), stat: port(), push: port() }),
  }),

  delivery: table({
    validityDays: int({ min: 1, max: 30 }),
    webValidityDays: int({ min: 0, max: 3650 }),
    analysisBatchSize: int({ min: 100, max: 20_000 }),
    renderTimeoutMs: int({ min: 0, max: 60_000 }),
    maxProofRecipients: int({ min: 1, max: 1000 }),
    dkim: tableList({
      domain: str({ pattern: /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i, patternHint: 'a domain name' }),
      selector: str({ pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, patternHint: 'a DNS label (a-z, 0-9, -)' }),
      algorithm: oneOf(['rsa-sha256', 'ed25519-sha256'] as const),
      keyFile: str({ min: 1 }),
    }),
  }),

  /** Pre-send checks of a delivery's content (run by the analysis) besides the control rules. */
  content: table({
    /** Ask every link and image of the content whether it answers (off: Herald may be offline). */
    checkLinks: bool(),
    linkTimeoutMs: int({ min: 100, max: 60_000 }),
    /** An http:// proxy for the link check ("" = direct). */
    linkProxy: refine(str(), (v) => (v === '' || /^http:\/\/[^\s/?#]+\/?$/.test(v) ? undefined : `expected "" or an http://host:port proxy URL, got "${v}"`)),
    /** A link that does not answer: a warning, or an error that blocks the start. */
    brokenLinkLevel: oneOf(['warning', 'error'] as const),
    maxLinksChecked: int({ min: 1, max: 1000 }),
    /** SpamAssassin's spamc (Debian package spamc, with spamd from package spamd): "" = no spam score. */
    spamcPath: str(),
    spamdHost: str(),
    spamdPort: port(),
  }),

  /** Bounce qualification, shared by the MTA (SMTP replies), inMail (bounce mail) and `herald bounce check`. */
  bounce: table({
    rulesFile: str({ min: 1 }),
  }),

  inmail: table({
    host: str({ min: 1 }),
    port: port(),
    spoolDir: str({ min: 1 }),
    acceptLocalParts: list(str({ pattern: /^[a-z0-9][a-z0-9._-]{0,63}$/, patternHint: 'a lower-case local part' })),
    maxMessageBytes: int({ min: 1024, max: 100 * 1024 * 1024 }),
    maxHeaderBytes: int({ min: 1024, max: 10 * 1024 * 1024 }),
    maxReceivedHeaders: int({ min: 1, max: 1000 }),
    maxClients: int({ min: 1, max: 10_000 }),
    maxClientsPerIp: int({ min: 1, max: 10_000 }),
    maxRecipients: int({ min: 1, max: 1000 }),
    maxCommandLength: int({ min: 512, max: 65_536 }),
    maxUnauthenticatedCommands: int({ min: 1, max: 1000 }),
    idleTimeoutMs: int({ min: 1000, max: 3_600_000 }),
    overloadIdleTimeoutMs: int({ min: 1000, max: 3_600_000 }),
    overloadPercent: int({ min: 1, max: 100 }),
    sessionTimeoutMs: int({ min: 1000, max: 24 * 3_600_000 }),
    closeTimeoutMs: int({ min: 100, max: 600_000 }),
    parseTimeoutMs: int({ min: 100, max: 600_000 }),
    parserThreads: int({ min: 1, max: 64 }),
    parserMemoryMb: int({ min: 16, max: 4096 }),
    batchSize: int({ min: 1, max: 1000 }),
    mailboxes: tableList(
      {
        name: str({ pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, patternHint: 'a short name (a-z, 0-9, _ -)' }),
        protocol: oneOf(['imap', 'pop3'] as const),
        host: str({ min: 1 }),
        port: port(),
        tls: oneOf(['implicit', 'starttls', 'none'] as const),
        verifyCertificate: bool(),
        caFile: str(),
        user: str({ min: 1 }),
        password: secret(),
        folder: str({ min: 1 }),
        processedFolder: str({ min: 1 }),
        unrecognisedFolder: str({ min: 1 }),
        idle: bool(),
        pollSeconds: int({ min: 1, max: 86_400 }),
        batchSize: int({ min: 1, max: 5000 }),
        timeoutSeconds: int({ min: 1, max: 3600 }),
      },
      {
        port: 0,
        tls: 'implicit',
        verifyCertificate: true,
        caFile: '',
        folder: 'INBOX',
        processedFolder: 'Processed',
        unrecognisedFolder: 'Unrecognised',
        idle: true,
        pollSeconds: 60,
        batchSize: 500,
        timeoutSeconds: 60,
      },
    ),
  }),

  forms: table({
    viewsDir: str({ min: 1 }),
    services: list(str({ pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, patternHint: 'a service internal name' })),
    minFillSeconds: int({ min: 0, max: 3600 }),
    maxAgeHours: int({ min: 1, max: 24 * 30 }),
    maxSubmitsPerMinute: int({ min: 1, max: 100_000 }),
    maxConfirmationsPerDay: int({ min: 1, max: 100 }),
    confirmHours: int({ min: 1, max: 24 * 30 }),
    blockedLocalParts: list(str({ min: 1, max: 64 })),
    fromAddress: str({ pattern: /^$|^[^\s@<>]+@[^\s@<>]+$/, patternHint: 'an email address or ""' }),
    fromName: str({ max: 255 }),
  }),

  languages: table({
    default: oneOf(LANGUAGES),
    overridesDir: str({ min: 1 }),
  }),

  api: table({
    bodyMaxKb: int({ min: 1, max: 102_400 }),
    ratePerSecond: int({ min: 1, max: 1_000_000 }),
    burst: int({ min: 1, max: 1_000_000 }),
    keyCacheSeconds: int({ min: 0, max: 3600 }),
  }),

  events: table({
    validityDays: int({ min: 1, max: 30 }),
    ctxMaxKb: int({ min: 1, max: 1024 }),
    batchSize: int({ min: 1, max: 5000 }),
    keepDays: days(),
    acceptUnknownTypes: bool(),
  }),

  webhooks: table({
    pollSeconds: int({ min: 1, max: 3600 }),
    batchSize: int({ min: 1, max: 10_000 }),
    maxAttempts: int({ min: 1, max: 100 }),
    retryInitialSeconds: int({ min: 1, max: 86_400 }),
    retryMaxSeconds: int({ min: 1, max: 604_800 }),
    timeoutMs: int({ min: 100, max: 120_000 }),
    logDays: days(),
    endpoints: tableList({
      name: str({ pattern: /^[a-z0-9][a-z0-9_-]{0,99}$/, patternHint: 'a short name (a-z, 0-9, _ -)' }),
      url: url(),
      secret: key(),
      events: list(oneOf(['bounce', 'complaint', 'unsubscribe', 'click'] as const)),
    }),
  }),

  stat: table({
    host: str({ min: 1 }),
    port: port(),
    registrationTtlMs: int({ min: 1000, max: 600_000 }),
    maxMtas: int({ min: 1, max: 10_000 }),
    maxKeys: int({ min: 1, max: 1_000_000 }),
    maxConnections: int({ min: 4, max: 100_000 }),
  }),

  sms: table({
    claimBatch: int({ min: 1, max: 10_000 }),
    maxInFlight: int({ min: 1, max: 100_000 }),
    leaseSeconds: int({ min: 10, max: 86_400 }),
    idlePollMs: int({ min: 10, max: 60_000 }),
    commitIntervalMs: int({ min: 1, max: 10_000 }),
    retryDelaySec: int({ min: 1, max: 86_400 }),
    stopWords: list(str({ pattern: /^\S{1,32}$/, patternHint: 'one word of 1–32 characters' })),
    stopReply: str({ max: 160 }),
    /** The answer to STOP in the other languages Herald speaks ("" uses stopReply), by the number's recipient language. */
    stopReplies: table({ es: str({ max: 160 }), fr: str({ max: 160 }), de: str({ max: 160 }) }),
    connectors: tableList({
      name: str({ pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, patternHint: 'a short name (a-z, 0-9, _ -)' }),
      host: str({ min: 1 }),
      port: port(),
      systemId: str({ min: 1, max: 15 }),
      password: secret({ optional: true }),
      systemType: withDefault(str({ max: 12 }), ''),
      sourceAddress: str({ min: 1, max: 20 }),
      tls: withDefault(bool(), false),
      tlsVerify: withDefault(bool(), true),
      windowSize: withDefault(int({ min: 1, max: 1000 }), 10),
      messagesPerSecond: withDefault(int({ min: 0, max: 100_000 }), 0),
      bindMode: withDefault(oneOf(['transceiver', 'transmitter'] as const), 'transceiver'),
      enquireLinkSec: withDefault(int({ min: 1, max: 3600 }), 30),
      responseTimeoutSec: withDefault(int({ min: 1, max: 600 }), 30),
      reconnectMaxSec: withDefault(int({ min: 1, max: 3600 }), 60),
    }),
  }),

  push: table({
    /** The contact push services may use (VAPID `sub`): mailto: or an https: URL. */
    vapidSubject: str({ pattern: /^(mailto:\S+@\S+|https:\/\/\S+)$/, patternHint: 'a mailto: address or an https:// URL' }),
    ttlSeconds: int({ min: 0, max: 2_419_200 }),
    urgency: oneOf(['very-low', 'low', 'normal', 'high'] as const),
    claimBatch: int({ min: 1, max: 10_000 }),
    maxInFlight: int({ min: 1, max: 10_000 }),
    leaseSeconds: int({ min: 10, max: 86_400 }),
    idlePollMs: int({ min: 10, max: 60_000 }),
    retryDelaySec: int({ min: 1, max: 86_400 }),
    requestTimeoutMs: int({ min: 100, max: 600_000 }),
    /** PEM file of extra certificate authorities to trust for push services (a private push service); empty: the system's. */
    caFile: str(),
  }),

  routing: table({
    /** Folder of the extraction and return files; empty: <dataDir>/routing. */
    spoolDir: str(),
    maxMessagesPerFile: int({ min: 1, max: 1_000_000 }),
    maxReturnFileMb: int({ min: 1, max: 10_240 }),
    providers: tableList({
      name: str({ pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/, patternHint: 'a short name (a-z, 0-9, _ -)' }),
      channel: oneOf(['direct_mail', 'fax'] as const),
      format: withDefault(oneOf(['csv', 'fixed'] as const), 'csv'),
      columns: withDefault(
        refine(list(str({ min: 1, max: 100 })), (specs) => {
          if (specs.length === 0) return 'name at least one column';
          for (const spec of specs) {
            const r = parseColumn(spec);
            if (!r.ok) return r.reason;
          }
          return undefined;
        }),
        ['documentId', 'lastName', 'firstName', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country'],
      ),
      header: withDefault(bool(), true),
      separator: withDefault(str({ pattern: /^[^\r\n"]$/, patternHint: 'one character other than a quote or a line break' }), ';'),
      encoding: withDefault(oneOf(['utf8', 'latin1', 'ascii', 'utf16le'] as const), 'utf8'),
      lineEnding: withDefault(oneOf(['crlf', 'lf'] as const), 'crlf'),
      costPerMessage: withDefault(num({ min: 0, max: 1_000_000 }), 0),
      costPerDelivery: withDefault(num({ min: 0, max: 1_000_000_000 }), 0),
      currency: withDefault(str({ pattern: /^[A-Z]{3}$/, patternHint: 'an ISO 4217 code such as "EUR"' }), 'EUR'),
      returnSeparator: withDefault(str({ pattern: /^[^\r\n"]$/, patternHint: 'one character other than a quote or a line break' }), ','),
      sftpHost: withDefault(str(), ''),
      sftpPort: withDefault(port(), 22),
      sftpUser: withDefault(str({ max: 64 }), ''),
      /** The server's host key fingerprint as `ssh-keygen -lf` prints it (SHA256:…): any other key is refused. */
      sftpHostKey: withDefault(str({ pattern: /^$|^SHA256:[A-Za-z0-9+/]{43}=?$/, patternHint: 'a SHA256:… host key fingerprint (ssh-keygen -lf <key>.pub)' }), ''),
      sftpPrivateKeyFile: withDefault(str(), ''),
      sftpPassword: withDefault(secret({ optional: true }), ''),
      sftpUploadDir: withDefault(str(), '.'),
      sftpReturnDir: withDefault(str(), ''),
      connectTimeoutSec: withDefault(int({ min: 1, max: 600 }), 30),
    }),
  }),

  modules: table({
    web: moduleSwitch(),
    tracking: moduleSwitch(),
    stat: moduleSwitch(),
    mta: moduleSwitch(),
    inmail: moduleSwitch(),
    wfserver: moduleSwitch(),
    sms: moduleSwitch(),
    push: moduleSwitch(),
  }),
});

export type HeraldConfig = Infer<typeof configSchema>;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Fills the connection keys from `database.url` when it is set, and a networked dialect's standard
 * port when `port` is 0; runs on the validated config before the cross-key checks.
 */
export function resolveDatabase(config: HeraldConfig): Issue[] {
  const db = config.database as Writable<HeraldConfig['database']>;
  if (db.url) {
    const parsed = parseDatabaseUrl(db.url);
    if (!parsed.ok) return [{ path: 'database.url', reason: parsed.reason }];
    Object.assign(db, parsed.fields);
  }
  if (db.dialect !== 'sqlite' && db.port === 0) db.port = defaultPort(db.dialect);
  return [];
}

/** Rules that span several keys; run after every key has passed its own check. */
export function crossChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  const db = config.database;
  if (db.dialect !== 'sqlite') {
    const when = `required when dialect = "${db.dialect}"`;
    if (!db.host) issues.push({ path: 'database.host', reason: when });
    if (!db.name) issues.push({ path: 'database.name', reason: when });
    if (!db.user) issues.push({ path: 'database.user', reason: when });
    if (db.user && !db.password) issues.push({ path: 'database.password', reason: `missing secret (${when})` });
  }
  const seen = new Set<string>();
  config.delivery.dkim.forEach((k, i) => {
    const id = `${k.domain.toLowerCase()} ${k.algorithm}`;
    if (seen.has(id)) issues.push({ path: `delivery.dkim[${i}]`, reason: `a second ${k.algorithm} key for ${k.domain} (one key per domain and algorithm)` });
    seen.add(id);
  });
  if (config.mta.domainRules.length === 0 || config.mta.domainRules[config.mta.domainRules.length - 1]!.match !== '*') {
    issues.push({ path: 'mta.domainRules', reason: 'the last rule must match "*" (the generic rule every other domain falls back to)' });
  }
  if (config.mta.domainBackoffSec.length === 0) issues.push({ path: 'mta.domainBackoffSec', reason: 'give at least one wait, in seconds' });
  if (config.mta.relayUser && config.mta.tls === 'disabled' && !config.mta.relayImplicitTls)
    issues.push({ path: 'mta.tls', reason: '"disabled" would send the relay password (relayUser) in clear: use "opportunistic" (STARTTLS is then required for the relay) or relayImplicitTls' });
  if (config.mta.transport === 'smtp' && config.mta.relayUser && !config.mta.relayPassword) issues.push({ path: 'mta.relayPassword', reason: 'missing secret (required when relayUser is set)' });
  const keys = config.secrets;
  if (keys.trackingKey === keys.sessionKey || keys.trackingKey === keys.bounceKey || keys.sessionKey === keys.bounceKey) {
    issues.push({ path: 'secrets', reason: 'trackingKey, sessionKey and bounceKey must be three different secrets' });
  }
  for (const name of ['previousTrackingKey', 'previousBounceKey', 'trackingApiKey', 'statKey'] as const) {
    const others = (['trackingKey', 'sessionKey', 'bounceKey', 'previousTrackingKey', 'previousBounceKey', 'trackingApiKey', 'statKey'] as const).filter((n) => n !== name).map((n) => keys[n]);
    if (keys[name] && others.includes(keys[name])) issues.push({ path: `secrets.${name}`, reason: 'must differ from the other secrets' });
  }
  if (config.mta.statServer && !keys.statKey) issues.push({ path: 'secrets.statKey', reason: 'missing secret (required when mta.statServer is set)' });
  if (config.modules.stat.autoStart && !keys.statKey) issues.push({ path: 'secrets.statKey', reason: 'missing secret (required when modules.stat.autoStart is true)' });
  issues.push(...watchdogChecks(config), ...publicChecks(config), ...mailboxChecks(config));
  return issues;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function mailboxChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  const names = new Set<string>();
  config.inmail.mailboxes.forEach((m, i) => {
    const at = `inmail.mailboxes[${i}]`;
    if (names.has(m.name)) issues.push({ path: `${at}.name`, reason: `a second mailbox named "${m.name}"` });
    names.add(m.name);
    if (m.tls === 'none' && !LOOPBACK.has(m.host.toLowerCase()))
      issues.push({ path: `${at}.tls`, reason: 'the password would cross the network in clear: use "implicit" or "starttls" (tls = "none" is for a server on this host)' });
    if (m.protocol === 'imap' && (m.processedFolder === m.folder || m.unrecognisedFolder === m.folder))
      issues.push({ path: `${at}.processedFolder`, reason: 'processed and unrecognised messages must go to folders other than the one read' });
  });
  return issues;
}

function watchdogChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  const wd = config.watchdog;
  if (wd.stopTimeoutMs <= config.process.shutdownTimeoutMs) {
    issues.push({ path: 'watchdog.stopTimeoutMs', reason: `must be greater than process.shutdownTimeoutMs (${config.process.shutdownTimeoutMs}) so modules can drain before they are killed` });
  }
  if (wd.backoffMaxMs < wd.backoffInitialMs) issues.push({ path: 'watchdog.backoffMaxMs', reason: 'must be ≥ watchdog.backoffInitialMs' });
  for (const name of MODULE_NAMES) {
    const m = config.modules[name];
    if (m.memoryAlertMb <= m.memoryWarningMb) issues.push({ path: `modules.${name}.memoryAlertMb`, reason: `must be greater than memoryWarningMb (${m.memoryWarningMb})` });
    if (m.heartbeatTimeoutMs <= m.heartbeatIntervalMs) issues.push({ path: `modules.${name}.heartbeatTimeoutMs`, reason: `must be greater than heartbeatIntervalMs (${m.heartbeatIntervalMs})` });
  }
  return issues;
}

function publicChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  if (config.api.burst < config.api.ratePerSecond) issues.push({ path: 'api.burst', reason: 'must be ≥ api.ratePerSecond' });
  if (config.webhooks.retryMaxSeconds < config.webhooks.retryInitialSeconds) issues.push({ path: 'webhooks.retryMaxSeconds', reason: 'must be ≥ webhooks.retryInitialSeconds' });
  const names = new Set<string>();
  const connectors = new Set<string>();
  issues.push(...routingChecks(config));
  config.sms.connectors.forEach((c, i) => {
    if (connectors.has(c.name)) issues.push({ path: `sms.connectors[${i}].name`, reason: `a second connector named "${c.name}"` });
    connectors.add(c.name);
  });
  config.webhooks.endpoints.forEach((e, i) => {
    if (names.has(e.name)) issues.push({ path: `webhooks.endpoints[${i}].name`, reason: `a second endpoint named "${e.name}"` });
    names.add(e.name);
    if (e.events.length === 0) issues.push({ path: `webhooks.endpoints[${i}].events`, reason: 'name at least one event: bounce, complaint, unsubscribe, click' });
  });
  return issues;
}

function routingChecks(config: HeraldConfig): Issue[] {
  const issues: Issue[] = [];
  const names = new Set<string>();
  const channels = new Set<string>();
  config.routing.providers.forEach((p, i) => {
    const at = `routing.providers[${i}]`;
    if (names.has(p.name)) issues.push({ path: `${at}.name`, reason: `a second provider named "${p.name}"` });
    if (channels.has(p.channel)) issues.push({ path: `${at}.channel`, reason: `a second provider for ${p.channel} (one provider per channel)` });
    names.add(p.name);
    channels.add(p.channel);
    if (p.format === 'fixed' && p.columns.some((c) => !/^[^:]+:\d+/.test(c)))
      issues.push({ path: `${at}.columns`, reason: 'a fixed-width file needs a width for every column (field:width)' });
    if (!p.sftpHost) {
      if (p.sftpReturnDir) issues.push({ path: `${at}.sftpReturnDir`, reason: 'needs sftpHost' });
      return;
    }
    if (!p.sftpUser) issues.push({ path: `${at}.sftpUser`, reason: 'required when sftpHost is set' });
    if (!p.sftpHostKey) issues.push({ path: `${at}.sftpHostKey`, reason: "required when sftpHost is set: pin the server's key (ssh-keygen -lf its .pub file)" });
    if (!p.sftpPrivateKeyFile && !p.sftpPassword) issues.push({ path: `${at}.sftpPassword`, reason: 'missing secret (give sftpPrivateKeyFile or sftpPassword)' });
  });
  return issues;
}
