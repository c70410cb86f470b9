import { createDeliveryFromTemplate, findDeliveryNamed, findTemplate } from '../../db/repos/workflow-deliveries.js';
import { addToList, ensureList } from '../../db/repos/memberships.js';
import type { StartHooks } from '../../delivery/actions.js';
import type { DeliveryDeps } from '../../delivery/analyse.js';
import type { Database } from '../../db/connect.js';
import type { HeraldConfig } from '../../shared/config/schema.js';
import { DAY_MS } from '../../shared/duration.js';
import type { DeliveryState } from '../../shared/glossary.js';
import type { Logger } from '../../shared/logger.js';
import { publishBeforeStart } from '../../tracking-data/publish/publish-urls.js';
import { analyseAndStart } from './send-delivery.js';

/**
 * What the Delivery activity needs from the delivery side: a delivery made from a template for a
 * population, analysed and started. `key` is unique per workflow wave and activity, and launching
 * twice with the same key carries on with the first delivery (a wave retried after a crash or a
 * blocked analysis never creates or sends a second one).
 */
export interface DeliveryLaunch {
  key: string;
  template: string;
  label: string;
  recipientIds: readonly number[];
  now: Date;
}

export interface LaunchedDelivery {
  deliveryId: number;
  created: boolean;
  /** Where the delivery stands after the launch: start pending, scheduled, or further on a retry. */
  state: DeliveryState;
  toDeliver: number;
}

export interface DeliveryLauncher {
  /** Throws (WF_DELIVERY_BLOCKED, WF_DELIVERY_ANALYSIS_FAILED, WF_DELIVERY_NOT_STARTED) when the delivery cannot be sent; the delivery stays for the operator to see and fix. */
  launch(request: DeliveryLaunch): Promise<LaunchedDelivery>;
}

/** Days a workflow delivery's target list is kept (its analysis turns it into broad logs long before). */
const TARGET_LIST_DAYS = 30;

/**
 * The default launcher: writes the population into a list named after the key, creates the delivery
 * from the template targeting that list (`targeting_pending`), then analyses and starts it exactly as
 * the console does (`analyseAndStart`). The list expires after TARGET_LIST_DAYS (cleanup purges it).
 * `hooks.beforeStart` pushes the tracked links to the tracking servers, as for every start.
 */
export function createDeliveryLauncher(deps: DeliveryDeps, hooks: StartHooks = {}): DeliveryLauncher {
  const { db } = deps;
  return {
    async launch(r) {
      const existing = await findDeliveryNamed(db, r.key);
      let deliveryId = existing?.id;
      if (deliveryId === undefined) {
        const template = await findTemplate(db, r.template);
        const listId = await ensureList(db, r.key, `Target of ${r.label}`.slice(0, 255), r.now, new Date(r.now.getTime() + TARGET_LIST_DAYS * DAY_MS));
        await addToList(db, listId, r.recipientIds, r.now);
        deliveryId = await createDeliveryFromTemplate(db, {
          internalName: r.key,
          label: r.label.slice(0, 255),
          template,
          listId,
          listName: r.key,
          now: r.now,
        });
      }
      const sent = await analyseAndStart(deps, deliveryId, r.now, hooks);
      return { ...sent, created: !existing };
    },
  };
}

/** The launcher of a process running workflows: no DKIM keys (the analysis reads only which domains have keys), links published before each start. */
export function workflowDeliveryLauncher(db: Database, config: HeraldConfig, log: Logger): DeliveryLauncher {
  return createDeliveryLauncher({ db, config, log, dkim: [] }, { beforeStart: publishBeforeStart(db, config, log) });
}
