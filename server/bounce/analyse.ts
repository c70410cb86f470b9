import { classify } from './classify.js';
import { providerFamily } from './detect-family.js';
import { FAMILIES } from './families.js';
import { parseBounce, type ParseOptions } from './parse-bounce.js';
import type { RuleSet } from './rules-file.js';
import type { BounceRecipient, Classification, ClassifyInput, ParsedBounce } from './types.js';

/** A parsed message with the qualification of each recipient it reports (same order). */
export interface Analysis {
  parsed: ParsedBounce;
  classifications: Classification[];
}

/** The classification input of a parsed recipient: its reply with the message's kind, reporting family and that writer's role. */
export function classifyInputOf(parsed: ParsedBounce, recipient: BounceRecipient): ClassifyInput {
  const input: ClassifyInput = { ...recipient, kind: parsed.kind };
  if (parsed.reporter) input.reporter = parsed.reporter;
  const role = parsed.role ?? FAMILIES.find((f) => f.id === parsed.reporter)?.role;
  if (role) input.role = role;
  return input;
}

/**
 * Qualifies one SMTP reply the MTA received (no message around it): the provider is read from the
 * reply itself (its host names and wording), so provider rules apply to synchronous replies too.
 */
export function classifyReply(input: ClassifyInput, rules: RuleSet): Classification {
  const provider = input.provider ?? providerFamily({ text: input.text, address: '' })?.id;
  return classify(provider ? { ...input, provider } : input, rules);
}

/** Parses one raw message and qualifies every reported recipient. No I/O. */
export async function analyseMessage(raw: Buffer, rules: RuleSet, options: ParseOptions = {}): Promise<Analysis> {
  const parsed = await parseBounce(raw, options);
  const classifications = parsed.recipients.map((r) => classify(classifyInputOf(parsed, r), rules));
  return { parsed, classifications };
}
