import nodemailer from 'nodemailer';
import type { Database } from '../../server/db/connect.js';
import { startInmailService, type InmailService } from '../../server/inmail/service.js';
import { createLogger, type Logger } from '../../server/shared/logger.js';
import { messageIdFor, verpAddress } from '../../server/shared/tokens.js';
import { createInstance, openTestDb, type TestInstance } from '../helpers/instance.js';

/** A running inMail (real SMTP on 127.0.0.1:0, real SQLite) with a seeded delivery, for tests. */
export interface InmailHarness {
  instance: TestInstance;
  db: Database;
  log: Logger;
  service: InmailService;
  /** Seeds a recipient subscribed to a service, a delivery of that service and one sent broad log. */
  seed(address: string, options?: { serviceId?: boolean }): Promise<Seeded>;
  /** Sends raw message bytes over SMTP with MAIL FROM:<> (as a bounce arrives); resolves with the reply. */
  send(to: string | string[], raw: string | Buffer): Promise<string>;
  stop(): Promise<void>;
}

export interface Seeded {
  recipientId: number;
  serviceId: number | null;
  deliveryId: number;
  broadLogId: number;
  verp: string;
  messageId: string;
}

export async function startInmailHarness(extraToml = ''): Promise<InmailHarness> {
  const instance = createInstance(['[inmail]', 'port = 0', 'parseTimeoutMs = 3000', extraToml].join('\n'));
  const db = await openTestDb(instance);
  const log = createLogger({ module: 'inmail', dir: instance.paths.logDir, level: 'debug', console: false, maxSizeMb: 5, maxFiles: 1 });
  const service = await startInmailService({ config: instance.config, paths: instance.paths, db, log });
  const { config } = instance;
  let n = 0;
  const harness: InmailHarness = {
    instance,
    db,
    log,
    service,
    async seed(address, options = {}) {
      n++;
      const recipient = await db.models.Recipient.create({ email: address, firstName: null, lastName: null });
      let serviceId: number | null = null;
      if (options.serviceId !== false) {
        const svc = await db.models.Service.create({ name: `news-${n}`, label: `News ${n}` });
        serviceId = svc.id;
        await db.models.Subscription.create({ serviceId, recipientId: recipient.id, status: 'active' });
      }
      const delivery = await db.models.Delivery.create({ internalName: `DM${n}`, label: `Delivery ${n}`, serviceId });
      const broadLog = await db.models.BroadLog.create({ deliveryId: delivery.id, recipientId: recipient.id, address, emailFormat: 'html', status: 'sent' });
      const ids = { broadLogId: broadLog.id, deliveryId: delivery.id };
      return {
        recipientId: recipient.id,
        serviceId,
        deliveryId: delivery.id,
        broadLogId: broadLog.id,
        verp: verpAddress(config.secrets.bounceKey, ids, config.mail.bounceDomain, config.mail.verpPrefix),
        messageId: messageIdFor(config.secrets.bounceKey, ids, config.mail.messageIdDomain),
      };
    },
    async send(to, raw) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: harness.service.port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
      try {
        const info = await transport.sendMail({ envelope: { from: '', to }, raw });
        return info.response;
      } finally {
        transport.close();
      }
    },
    async stop() {
      await harness.service.stop();
      await db.close();
      await log.close();
      instance.cleanup();
    },
  };
  return harness;
}
