import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { analyseMessage, type Analysis } from '../../bounce/analyse.js';
import { RuleBook } from '../../bounce/rule-book.js';
import type { Database } from '../../db/connect.js';
import { instancePaths } from '../../shared/config/paths.js';
import type { HeraldConfig } from '../../shared/config/schema.js';

/**
 * A message inMail kept for review, read back from its spool's kept/ folder and analysed with the
 * current rules (the file and the operators' qualifications) for the review page. The raw text is
 * hostile input: the page shows it escaped, as text, and only its beginning.
 */

const SHOWN_BYTES = 64 * 1024;

export interface KeptMessageView {
  /** The beginning of the raw message, decoded as Latin-1 (bytes as they are). */
  text: string;
  truncated: boolean;
  analysis?: Analysis;
  /** Why the message could not be read or analysed. */
  problem?: string;
}

/** The kept file's path, refused when it would leave the spool folder. */
function keptPath(config: HeraldConfig, spoolFile: string): string | undefined {
  const spool = resolve(instancePaths(config).dataDir, config.inmail.spoolDir);
  const path = resolve(spool, spoolFile);
  return path.startsWith(spool + sep) ? path : undefined;
}

export async function readKeptMessage(db: Database, config: HeraldConfig, spoolFile: string | null): Promise<KeptMessageView> {
  const path = spoolFile ? keptPath(config, spoolFile) : undefined;
  if (!path) return { text: '', truncated: false, problem: 'no kept copy' };
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch {
    return { text: '', truncated: false, problem: 'the kept copy is no longer in the spool' };
  }
  const view: KeptMessageView = { text: raw.subarray(0, SHOWN_BYTES).toString('latin1'), truncated: raw.length > SHOWN_BYTES };
  try {
    const book = await RuleBook.open(db, config.bounce.rulesFile);
    view.analysis = await analyseMessage(raw.subarray(0, config.inmail.maxMessageBytes), book.rules);
  } catch (err) {
    view.problem = `unparsable: ${(err as Error).message.split('\n')[0]!.slice(0, 200)}`;
  }
  return view;
}
