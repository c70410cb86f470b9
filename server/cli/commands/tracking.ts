import { EXIT } from '../../shared/exit-codes.js';
import { UsageError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { commandConfig, withDatabase } from '../context.js';

/** `herald tracking ingest|publish`: the tracking job and the URL push, by hand (code loaded only when run). */
export const trackingCommands: Command[] = [
  {
    words: ['tracking', 'ingest'],
    usage: 'tracking ingest [--json]',
    summary: 'pull new hits from every tracking server, store each once, recompute indicators (exit 69 if a server failed)',
    options: { json: { type: 'boolean' } },
    async run(input) {
      const { runTrackingIngest } = await import('../../tracking-data/ingest/run-ingest.js');
      const { config } = commandConfig(input);
      const summary = await withDatabase(input, (db) => runTrackingIngest(db, config, new Date()));
      if (input.flags.json) input.out.write(JSON.stringify(summary) + '\n');
      else {
        input.out.write(
          `pulled ${summary.pulled} hits from ${summary.servers} tracking server(s): ${summary.inserted} new, ${summary.duplicates} already stored, ${summary.invalid} invalid; ` +
            `${summary.deliveries.length} deliveries consolidated\n`,
        );
        for (const server of summary.failedServers) input.out.write(`failed: ${server} (its hits are pulled next run)\n`);
      }
      return summary.failedServers.length > 0 ? EXIT.UNAVAILABLE : EXIT.OK;
    },
  },
  {
    words: ['tracking', 'publish'],
    usage: 'tracking publish <deliveryId> | --live',
    summary: "push a delivery's tracked URLs (or those of every delivery whose links still work) to every tracking server",
    args: [0, 1],
    options: { live: { type: 'boolean' } },
    async run(input) {
      const { publishDeliveryUrls, publishLiveDeliveries } = await import('../../tracking-data/publish/publish-urls.js');
      const id = Number(input.args[0]);
      const live = Boolean(input.flags.live);
      if (live === input.args.length > 0 || (!live && !(Number.isSafeInteger(id) && id > 0))) throw new UsageError('give one delivery id, or --live');
      const { config } = commandConfig(input);
      const results = await withDatabase(input, async (db) =>
        live ? publishLiveDeliveries(db, config, new Date()) : [await publishDeliveryUrls(db, config, id)],
      );
      for (const r of results) input.out.write(`delivery ${r.deliveryId}: ${r.urls} URLs pushed to ${r.servers.join(', ')}\n`);
      if (results.length === 0) input.out.write('no delivery has live links\n');
      return EXIT.OK;
    },
  },
];
