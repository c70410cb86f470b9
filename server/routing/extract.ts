import type { Database } from '../db/connect.js';
import { changeDeliveryState, type LifecycleStep } from '../db/repos/delivery-state.js';
import { pauseRequested, sendingDeliveries, type ActiveDelivery } from '../db/repos/mta-queue.js';
import { completeExtraction, deliveryLabel, extractionLines, extractionsIn, openExtraction, type ExtractionRef } from '../db/repos/routing.js';
import * as lifecycle from '../delivery/lifecycle.js';
import type { Logger } from '../shared/logger.js';
import { parseColumns } from '../shared/routing-columns.js';
import { renderExtraction, type Layout } from './layout.js';
import type { Provider } from './sftp.js';
import { writeAtomically, type SpoolDirs } from './spool.js';

/**
 * Step 1 of a routing run for one provider: the messages of its channel's sending deliveries go
 * into extraction files. Per file, three steps, each safe to repeat after a kill -9:
 * 1. open (one transaction): an extraction row `preparing` and its messages named in it;
 * 2. write the file from those messages (temp file, flush, rename): same messages, same bytes,
 *    same name when written again;
 * 3. complete (one transaction, conditional): the messages still pending become sent, counted
 *    once on the delivery, the extraction `written`.
 * A run first finishes the extractions a crash left `preparing`. A delivery with no pending message
 * left is finished; one asked to pause is paused.
 */

export interface ExtractDeps {
  db: Database;
  log: Logger;
  provider: Provider;
  dirs: SpoolDirs;
  maxMessagesPerFile: number;
  now: Date;
  signal: AbortSignal;
}

export function layoutOf(p: Provider): Layout {
  const parsed = parseColumns(p.columns);
  if (!parsed.ok) throw new Error(`routing.providers "${p.name}" columns: ${parsed.reason}`);
  return { format: p.format, columns: parsed.columns, header: p.header, separator: p.separator, encoding: p.encoding, lineEnding: p.lineEnding };
}

export const extractionFileName = (p: Provider, e: Pick<ExtractionRef, 'id' | 'deliveryId'>) =>
  `${p.name}-${p.channel}-d${e.deliveryId}-x${e.id}.${p.format === 'csv' ? 'csv' : 'txt'}`;

async function writeFile(deps: ExtractDeps, layout: Layout, e: ExtractionRef): Promise<string> {
  const label = await deliveryLabel(deps.db, e.deliveryId);
  const lines = (await extractionLines(deps.db, e.id)).map((l) => ({ ...l, deliveryLabel: label }));
  const name = extractionFileName(deps.provider, e);
  await writeAtomically(deps.dirs.out, name, renderExtraction(layout, lines));
  return name;
}

async function writeAndComplete(deps: ExtractDeps, layout: Layout, e: ExtractionRef): Promise<number> {
  const name = await writeFile(deps, layout, e);
  const sent = await completeExtraction(deps.db, e, name, deps.now);
  deps.log.info('ROUTING_FILE_WRITTEN', { provider: deps.provider.name, deliveryId: e.deliveryId, extractionId: e.id, file: name, messages: sent });
  return sent;
}

async function move(deps: ExtractDeps, d: Pick<ActiveDelivery, 'id' | 'state'>, step: LifecycleStep, set = {}): Promise<void> {
  const change = await changeDeliveryState(deps.db, { id: d.id, from: d.state, step, now: deps.now, set });
  if (!change.ok) return;
  deps.log.info('ROUTING_DELIVERY_STATE', { deliveryId: d.id, from: change.from, to: change.to });
  d.state = change.to;
}

export async function extractMessages(deps: ExtractDeps): Promise<{ files: number; messages: number }> {
  const { db, provider: p } = deps;
  const layout = layoutOf(p);
  const done = { files: 0, messages: 0 };
  for (const e of await extractionsIn(db, p.name, 'preparing')) {
    deps.log.info('ROUTING_FILE_REWRITTEN', { provider: p.name, extractionId: e.id });
    done.messages += await writeAndComplete(deps, layout, e);
    done.files++;
  }
  for (const id of await pauseRequested(db, p.channel)) await move(deps, { id, state: 'pause_requested' }, lifecycle.pauseTaken);
  for (const d of await sendingDeliveries(db, deps.now, p.channel)) {
    if (d.state === 'start_pending') await move(deps, d, lifecycle.beginSending, d.startedAt ? {} : { startedAt: deps.now });
    if (d.state === 'recovery_pending') await move(deps, d, lifecycle.beginRecovery);
    for (;;) {
      if (deps.signal.aborted) return done;
      const e = await openExtraction(db, {
        deliveryId: d.id,
        channel: p.channel,
        provider: p.name,
        limit: deps.maxMessagesPerFile,
        messageCost: p.costPerMessage,
        deliveryCost: p.costPerDelivery,
        currency: p.currency,
        now: deps.now,
      });
      if (!e) break;
      done.messages += await writeAndComplete(deps, layout, e);
      done.files++;
    }
    if (d.kind !== 'transactional') await move(deps, d, lifecycle.finish, { finishedAt: deps.now });
  }
  return done;
}
