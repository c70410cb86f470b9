import type { Database } from '../db/connect.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Catalogues } from '../shared/i18n/catalogue.js';
import type { Logger } from '../shared/logger.js';
import { publishDeliveryUrls } from '../tracking-data/publish/publish-urls.js';
import { BuiltinTypes } from './builtin-types.js';
import { EventIntake } from './intake.js';
import { MAIL_CATALOGUES } from './mail-texts/index.js';
import { EventRouter } from './router.js';

/** The transactional-event parts a process needs, wired once (web module, CLI, benchmark). */
export interface EventServices {
  intake: EventIntake;
  router: EventRouter;
  builtins: BuiltinTypes;
}

export interface EventServicesDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
  clock: () => Date;
  /** Default: push to the configured tracking servers (server/tracking-data/publish). */
  publishUrls?: (deliveryId: number) => Promise<void>;
  /** The system mails' texts by language (default: the shipped ones; the web module hands in its catalogues, site overrides applied). */
  catalogues?: Catalogues;
}

export function createEventServices(deps: EventServicesDeps): EventServices {
  const { db, config, log, clock } = deps;
  const publishUrls = deps.publishUrls ?? (async (deliveryId: number) => void (await publishDeliveryUrls(db, config, deliveryId, { log })));
  const router = new EventRouter({ db, config, log, publishUrls });
  const intake = new EventIntake({ db, log, clock, router, batchSize: config.events.batchSize });
  return { intake, router, builtins: new BuiltinTypes({ db, config, log, catalogues: deps.catalogues ?? MAIL_CATALOGUES }) };
}
