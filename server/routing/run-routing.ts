import { join, resolve } from 'node:path';
import { quarantinePolicy } from '../bounce/quarantine-policy.js';
import type { Database } from '../db/connect.js';
import { extractionsIn, markUploaded, noteExtractionError } from '../db/repos/routing.js';
import type { InstancePaths } from '../shared/config/paths.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import type { Logger } from '../shared/logger.js';
import { extractMessages } from './extract.js';
import { importReturns } from './import-returns.js';
import { openSftp, type Provider, type SftpSession } from './sftp.js';
import { makeSpoolDirs, moveTo, spoolDirs, type SpoolDirs } from './spool.js';
import { readFile } from 'node:fs/promises';

/**
 * One run of third-party routing (the wfserver's `routing` technical workflow, under its lease, so
 * one run at a time across every wfserver): for each `[[routing.providers]]`, in named steps —
 * extract (messages → extraction files in the spool, sent to the provider), upload (written files
 * → the provider's SFTP server, when configured), fetch (return files from the SFTP server into the
 * spool), import (return files → message statuses and quarantines). A provider whose server
 * cannot be reached keeps its files in the spool and is tried again next run; the other steps and
 * providers go on.
 */

export interface RoutingContext {
  db: Database;
  config: HeraldConfig;
  paths: InstancePaths;
  log: Logger;
  now: Date;
  signal: AbortSignal;
}

export const routingSpoolRoot = (config: HeraldConfig, paths: InstancePaths) =>
  config.routing.spoolDir ? resolve(paths.dataDir, config.routing.spoolDir) : join(paths.dataDir, 'routing');

async function upload(ctx: RoutingContext, p: Provider, dirs: SpoolDirs, session: SftpSession): Promise<number> {
  let uploaded = 0;
  for (const e of await extractionsIn(ctx.db, p.name, 'written')) {
    if (ctx.signal.aborted || !e.fileName) break;
    try {
      await session.upload(await readFile(join(dirs.out, e.fileName)), e.fileName);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.warn('ROUTING_UPLOAD_FAILED', { provider: p.name, extractionId: e.id, err: message });
      await noteExtractionError(ctx.db, e.id, message);
      continue;
    }
    await markUploaded(ctx.db, e.id, ctx.now);
    ctx.log.info('ROUTING_FILE_UPLOADED', { provider: p.name, extractionId: e.id, file: e.fileName, host: p.sftpHost });
    uploaded++;
  }
  return uploaded;
}

async function fetchReturns(dirs: SpoolDirs, session: SftpSession): Promise<number> {
  return session.fetchReturns(async (name, download) => {
    const part = join(dirs.returns, `.${name}.part`);
    await download(part);
    await moveTo(part, dirs.returns, name);
  });
}

/** The SFTP steps; a server that cannot be reached is logged and leaves the files for the next run. */
async function exchange(ctx: RoutingContext, p: Provider, dirs: SpoolDirs): Promise<{ uploaded: number; fetched: number; sftpErrors: number }> {
  const out = { uploaded: 0, fetched: 0, sftpErrors: 0 };
  if (!p.sftpHost) return out;
  const pendingUploads = await extractionsIn(ctx.db, p.name, 'written');
  if (pendingUploads.length === 0 && !p.sftpReturnDir) return out;
  let session: SftpSession;
  try {
    session = await openSftp(p);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.warn('ROUTING_UPLOAD_FAILED', { provider: p.name, err: message });
    for (const e of pendingUploads) await noteExtractionError(ctx.db, e.id, message);
    out.sftpErrors++;
    return out;
  }
  try {
    out.uploaded = await upload(ctx, p, dirs, session);
    try {
      out.fetched = await fetchReturns(dirs, session);
      if (out.fetched) ctx.log.info('ROUTING_RETURNS_FETCHED', { provider: p.name, files: out.fetched });
    } catch (err) {
      ctx.log.warn('ROUTING_RETURNS_FETCH_FAILED', { provider: p.name, err: err instanceof Error ? err.message : String(err) });
      out.sftpErrors++;
    }
  } finally {
    await session.close().catch(() => undefined);
  }
  return out;
}

export async function runRouting(ctx: RoutingContext): Promise<Record<string, number>> {
  const totals: Record<string, number> = {
    files: 0,
    messages: 0,
    uploaded: 0,
    fetched: 0,
    sftpErrors: 0,
    returnFiles: 0,
    returnsApplied: 0,
    returnsRejected: 0,
  };
  const add = (counts: object) => {
    for (const [k, v] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + (v as number);
  };
  const root = routingSpoolRoot(ctx.config, ctx.paths);
  for (const provider of ctx.config.routing.providers) {
    if (ctx.signal.aborted) break;
    const dirs = spoolDirs(root, provider.name);
    await makeSpoolDirs(dirs);
    const base = { db: ctx.db, log: ctx.log, provider, dirs, now: ctx.now, signal: ctx.signal };
    add(await extractMessages({ ...base, maxMessagesPerFile: ctx.config.routing.maxMessagesPerFile }));
    add(await exchange(ctx, provider, dirs));
    add(await importReturns({ ...base, policy: quarantinePolicy(ctx.config.quarantine), maxBytes: ctx.config.routing.maxReturnFileMb * 1024 * 1024 }));
  }
  return totals;
}
