import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Database } from '../../../server/db/connect.js';
import { startMtaService, type MtaService } from '../../../server/mta/mta-service.js';
import type { HeraldConfig } from '../../../server/shared/config/schema.js';
import { silentLogger } from '../../../server/shared/logger.js';
import type { Engine } from '../../../server/workflows/engine.js';
import { workflowDeliveryLauncher } from '../../../server/workflows/marketing/delivery-launcher.js';
import { TECHNICAL_WORKFLOWS } from '../../../server/workflows/technical/registry.js';
import type { TestInstance } from '../../helpers/instance.js';
import { until } from '../../helpers/mta.js';
import { startTestTracker, withTracking, type TestTracker } from '../../helpers/tracking.js';
import { testEngine, type FakeClock } from '../helpers.js';

/**
 * The real parts a marketing workflow sends through, on one clock the test moves: the MTA with the
 * capture transport (every message written as an .eml file), a tracking server on 127.0.0.1:0 (the
 * links in the mail point at it), and an engine whose technical workflows are only `tracking`
 * (ingesting that server's hit log). Nothing is inserted behind their backs.
 */
export interface SendingStack {
  config: HeraldConfig;
  tracker: TestTracker;
  mta: MtaService;
  engine: Engine;
  /** Messages the MTA captured for a delivery, parsed. */
  captured(deliveryId: number): Promise<CapturedMail[]>;
  /** Waits until the MTA captured `count` messages of a delivery. */
  waitCaptured(deliveryId: number, count: number): Promise<CapturedMail[]>;
  stop(): Promise<void>;
}

export interface CapturedMail {
  to: string;
  subject: string;
  html: string;
  /** The open pixel's URL (on the tracking server). */
  pixel: string;
  /** Tracked links (`/r/`), in the order of the HTML. */
  links: string[];
}

export async function startSendingStack(instance: TestInstance, db: Database, clock: FakeClock): Promise<SendingStack> {
  const tracker = await startTestTracker(instance.config, join(instance.dir, 'tracker'), {}, () => clock.now().getTime());
  const config = withTracking(instance.config, { servers: [tracker.base], publicUrl: tracker.base });
  const log = silentLogger();
  const mta = await startMtaService(db, config, instance.paths, log, () => clock.now());
  const engine = testEngine(instance, db, clock, {
    config,
    technical: { tracking: TECHNICAL_WORKFLOWS.tracking },
    launcher: workflowDeliveryLauncher(db, config, log),
  });
  await engine.syncTechnical();
  const folder = (deliveryId: number) => join(resolve(instance.paths.dataDir, config.mta.captureDir), String(deliveryId));
  const captured = async (deliveryId: number) => {
    const dir = folder(deliveryId);
    if (!existsSync(dir)) return [];
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    return Promise.all(files.map((f) => parse(readFileSync(join(dir, f)), tracker.base)));
  };
  return {
    config,
    tracker,
    mta,
    engine,
    captured,
    async waitCaptured(deliveryId, count) {
      await until(async () => (await captured(deliveryId)).length >= count, 20_000, `${count} captured messages of delivery ${deliveryId}`);
      return captured(deliveryId);
    },
    async stop() {
      await engine.stop();
      await mta.stop();
      await tracker.stop();
    },
  };
}

async function parse(raw: Buffer, trackingBase: string): Promise<CapturedMail> {
  const mail = await simpleParser(raw);
  const html = typeof mail.html === 'string' ? mail.html : '';
  const envelopeTo = /^X-Herald-Envelope-To: <([^>]+)>/m.exec(raw.toString('latin1'))?.[1] ?? '';
  const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((u) => u.startsWith(trackingBase));
  return {
    to: envelopeTo,
    subject: mail.subject ?? '',
    html,
    pixel: urls.find((u) => u.includes('/o/')) ?? '',
    links: urls.filter((u) => u.includes('/r/')),
  };
}

/** A desktop browser's user agent: hits with it count as a person's. */
export const BROWSER = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' };

/** Opens a captured mail the way a mail client does: it loads the open pixel from the tracking server. */
export async function openMail(mail: CapturedMail): Promise<void> {
  if (!mail.pixel) throw new Error(`the mail to ${mail.to} has no open pixel`);
  const res = await fetch(mail.pixel, { headers: BROWSER });
  if (res.status !== 200) throw new Error(`the open pixel answered ${res.status}`);
  await res.arrayBuffer();
}

/** Clicks the first tracked link of a captured mail (the redirect is not followed). */
export async function clickMail(mail: CapturedMail): Promise<string | null> {
  const link = mail.links[0];
  if (!link) throw new Error(`the mail to ${mail.to} has no tracked link`);
  const res = await fetch(link, { redirect: 'manual', headers: BROWSER });
  await res.arrayBuffer();
  return res.headers.get('location');
}
