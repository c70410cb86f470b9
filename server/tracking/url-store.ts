import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../shared/logger.js';
import { parseDefinition, type ServedDelivery } from './definitions.js';
import { syncFolder, writeFileDurably } from './durable-file.js';

/**
 * The URL definitions this tracking server knows, in memory for the hot path and in one JSON file
 * per delivery (`<dir>/<deliveryId>.json`) so they survive restarts. Never the database: Herald
 * pushes the definitions over the API (Adobe's redir/url folder).
 */
export interface UrlStore {
  get(deliveryId: number): ServedDelivery | undefined;
  /** Stores a delivery's definitions durably, then serves them (replacing any earlier version). */
  put(delivery: ServedDelivery): Promise<void>;
  /** Forgets deliveries whose validity ended before `cutoffMs`; returns how many. */
  purge(cutoffMs: number): Promise<number>;
  size(): number;
}

const FILE = /^(\d{1,15})\.json$/;

export async function openUrlStore(dir: string, log: Logger): Promise<UrlStore> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const deliveries = new Map<number, ServedDelivery>();
  for (const name of await readdir(dir)) {
    if (!FILE.test(name)) continue;
    const loaded = await loadFile(join(dir, name), log);
    if (loaded) deliveries.set(loaded.definition.deliveryId, loaded);
  }
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };
  const fileOf = (deliveryId: number) => join(dir, `${deliveryId}.json`);
  return {
    get: (deliveryId) => deliveries.get(deliveryId),
    put: (delivery) =>
      serialized(async () => {
        await writeFileDurably(fileOf(delivery.definition.deliveryId), JSON.stringify(delivery.definition));
        deliveries.set(delivery.definition.deliveryId, delivery);
      }),
    purge: (cutoffMs) =>
      serialized(async () => {
        const expired = [...deliveries.values()].filter((d) => d.validityEndMs !== null && d.validityEndMs < cutoffMs);
        for (const d of expired) {
          deliveries.delete(d.definition.deliveryId);
          await unlink(fileOf(d.definition.deliveryId)).catch(() => undefined);
        }
        if (expired.length > 0) await syncFolder(dir);
        return expired.length;
      }),
    size: () => deliveries.size,
  };
}

async function loadFile(file: string, log: Logger): Promise<ServedDelivery | undefined> {
  try {
    const parsed = parseDefinition(JSON.parse(await readFile(file, 'utf8')));
    if (parsed.ok) return parsed.delivery;
    log.warn('TRACKING_URLS_FILE_INVALID', { file, err: parsed.reason });
  } catch (err) {
    log.warn('TRACKING_URLS_FILE_INVALID', { file, err });
  }
  return undefined;
}
