import { resolve } from 'node:path';
import { RuleBook } from '../bounce/rule-book.js';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { bounceKeys, trackingKeys } from '../shared/config/signing-keys.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Registry } from '../shared/metrics/registry.js';
import type { ReloadResult } from '../shared/run-process.js';
import { ensureMailboxes } from '../db/repos/inmail-mailboxes.js';
import { ImapSource } from './imap-source.js';
import { MailboxReader } from './mailbox-reader.js';
import type { MailboxConfig, MailboxSource } from './mailbox-source.js';
import { ParserPool } from './parser-pool.js';
import { Pop3Source } from './pop3-source.js';
import { registerInmailMetrics } from './metrics.js';
import { Processor, type ProcessorDeps, type ProcessorStatus } from './processor.js';
import { startReceiver } from './receiver.js';
import { Spool, type SpoolEntry } from './spool.js';

/** How often the operator rules are checked for a new qualification (a cheap COUNT/MAX query). */
const OPERATOR_RULES_CHECK_MS = 10_000;

/** inMail wired together: spool → receiver → parser pool → processor. Used by main.ts, tests and the benchmark. */

export interface InmailService {
  port: number;
  /**
   * Applies a new config without closing the SMTP listener: re-reads the rules file (one with an
   * error is refused and the current rules stay), and takes the quarantine policy and signing keys.
   */
  reload(config: HeraldConfig): ReloadResult;
  /**
   * Reads the operators' qualifications again if they changed (done every 10 s by itself; the
   * console's qualification reaches the parser threads then). Never rejects: an error is logged.
   */
  refreshOperatorRules(): Promise<void>;
  /** Resolves once every accepted message has been processed. */
  idle(): Promise<void>;
  status(): ProcessorStatus & { port: number; connections: number };
  stop(): Promise<void>;
}

export interface InmailDeps {
  config: HeraldConfig;
  paths: InstancePaths;
  db: Database;
  log: Logger;
  /** Where inMail's metrics go (the module's registry). */
  registry?: Registry;
}

function sourceOf(mailbox: MailboxConfig, maxMessageBytes: number): MailboxSource {
  return mailbox.protocol === 'imap' ? new ImapSource(mailbox) : new Pop3Source(mailbox, maxMessageBytes);
}

/** One reader per [[inmail.mailboxes]]; messages of theirs left in the spool are processed from there, not fetched again. */
async function startMailboxReaders(
  { config, db, spool, processor, log }: { config: HeraldConfig; db: Database; spool: Spool; processor: Processor; log: Logger },
  recovered: readonly SpoolEntry[],
): Promise<MailboxReader[]> {
  const mailboxes = config.inmail.mailboxes;
  await ensureMailboxes(db, mailboxes, new Date());
  return mailboxes.map((mailbox) => {
    const reader = new MailboxReader({
      mailbox,
      source: sourceOf(mailbox, config.inmail.maxMessageBytes),
      db,
      spool,
      processor,
      log,
      maxMessageBytes: config.inmail.maxMessageBytes,
    });
    reader.adopt(recovered);
    reader.start();
    return reader;
  });
}

export async function startInmailService({ config, paths, db, log, registry }: InmailDeps): Promise<InmailService> {
  const inmail = config.inmail;
  const book = await RuleBook.open(db, config.bounce.rulesFile);
  const spool = new Spool(resolve(paths.dataDir, inmail.spoolDir));
  await spool.init();
  const parser = new ParserPool({
    threads: inmail.parserThreads,
    timeoutMs: inmail.parseTimeoutMs,
    memoryMb: inmail.parserMemoryMb,
    rules: book.texts(),
    log,
  });
  const refreshOperatorRules = () =>
    book.refresh().then(
      (changed) => {
        if (!changed) return;
        parser.setRules(book.texts());
        log.info('INMAIL_RULES_LOADED', { file: book.rules.file, rules: book.rules.rules.length });
      },
      (err: unknown) => log.error('INMAIL_RULES_INVALID', { err: describeError(err) }),
    );
  // An operator's qualification in the console reaches the parser threads within seconds.
  const refresh = setInterval(() => void refreshOperatorRules(), OPERATOR_RULES_CHECK_MS);
  refresh.unref();
  const keys = {
    bounceKey: bounceKeys(config.secrets),
    trackingKey: trackingKeys(config.secrets),
    bounceDomain: config.mail.bounceDomain,
    verpPrefix: config.mail.verpPrefix,
  };
  const open = { connections: () => 0 };
  const processorDeps: ProcessorDeps = { db, spool, parser, keys, policy: quarantinePolicy(config.quarantine), batchSize: inmail.batchSize, log };
  const processor = new Processor(processorDeps);
  const metrics = registry && registerInmailMetrics(registry, { connections: () => open.connections(), queued: () => processor.status().queued });
  processorDeps.metrics = metrics;
  const recovered = await spool.list();
  if (recovered.length > 0) log.info('INMAIL_RECOVERED', { messages: recovered.length });
  const readers = await startMailboxReaders({ config, db, spool, processor, log }, recovered);
  processor.enqueue(recovered);
  const receiver = await startReceiver({
    metrics,
    inmail,
    bounceDomain: config.mail.bounceDomain,
    verpPrefix: config.mail.verpPrefix,
    spool,
    log,
    onAccepted: (entry) => processor.enqueue(entry),
  });
  open.connections = () => receiver.connections();
  log.info('INMAIL_LISTENING', { host: inmail.host, port: receiver.port, rules: book.rules.rules.length });
  return {
    port: receiver.port,
    reload(next) {
      const applied: string[] = ['quarantine', 'secrets'];
      processorDeps.policy = quarantinePolicy(next.quarantine);
      processorDeps.keys = { ...keys, bounceKey: bounceKeys(next.secrets), trackingKey: trackingKeys(next.secrets) };
      try {
        const fresh = book.reloadFile(next.bounce.rulesFile);
        parser.setRules(book.texts());
        log.info('INMAIL_RULES_LOADED', { file: fresh.file, rules: fresh.rules.length });
        applied.push('bounce.rulesFile');
        return { applied, notes: { bounceRules: fresh.rules.length } };
      } catch (err) {
        log.error('INMAIL_RULES_INVALID', { err: describeError(err) });
        return { applied, notes: { bounceRulesRefused: describeError(err) } };
      }
    },
    refreshOperatorRules,
    idle: () => processor.idle(),
    status: () => ({ ...processor.status(), port: receiver.port, connections: receiver.connections() }),
    async stop() {
      clearInterval(refresh);
      await Promise.all(readers.map((r) => r.stop()));
      await receiver.close();
      await processor.stop();
      await parser.close();
      await spool.close();
    },
  };
}
