import { classify } from './classify.js';
import { parseBounce } from './parse-bounce.js';
import type { RuleSet } from './rules-file.js';
import type { Classification, ParsedBounce } from './types.js';

/** A parsed message with the qualification of each recipient it reports (same order). */
export interface Analysis {
  parsed: ParsedBounce;
  classifications: Classification[];
}

/** Parses one raw message and qualifies every reported recipient. No I/O. */
export async function analyseMessage(raw: Buffer, rules: RuleSet): Promise<Analysis> {
  const parsed = await parseBounce(raw);
  const classifications = parsed.recipients.map((r) => classify({ ...r, kind: parsed.kind }, rules));
  return { parsed, classifications };
}
