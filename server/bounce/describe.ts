import type { Analysis } from './analyse.js';
import type { Explanation } from './classify.js';
import type { BounceRecipient } from './types.js';

/**
 * Text renderings of a classification for the `herald bounce` commands: the JSON line of
 * `bounce classify --json` and the explanation of `bounce check`. Pure.
 */

export interface ClassifiedRecipient {
  address: string;
  status: string;
  /** The provider whose server gave the reply ('' when not recognised). */
  provider: string;
  type: string;
  reason: string;
  rule: string;
}

/** The `bounce classify --json` record of one file. */
export function classifyRecord(
  file: string,
  { parsed, classifications }: Analysis,
): { file: string; kind: string; reporter: string; recipients: ClassifiedRecipient[] } {
  return {
    file,
    kind: parsed.kind,
    reporter: parsed.reporter ?? '',
    recipients: parsed.recipients.map((r, i) => ({
      address: r.address,
      status: r.status ?? '',
      provider: r.provider ?? '',
      type: classifications[i]!.type,
      reason: classifications[i]!.reason,
      rule: classifications[i]!.rule,
    })),
  };
}

function facts(r: Pick<BounceRecipient, 'status' | 'smtpCode' | 'command' | 'action'>): string {
  return [`status ${r.status ?? '-'}`, `reply code ${r.smtpCode ?? '-'}`, `command ${r.command ?? '-'}`, `action ${r.action ?? '-'}`].join(', ');
}

function families(f: Explanation['facts']): string {
  return [`reported by ${f.reporter ?? '-'}${f.role ? ` (${f.role})` : ''}`, `reply from ${f.provider ?? '-'}`].join(', ');
}

/** Lines explaining why `recipient` got its classification. */
export function explainLines(
  label: string,
  recipient: Pick<BounceRecipient, 'address' | 'status' | 'smtpCode' | 'command' | 'action' | 'text'>,
  why: Explanation,
  file: string,
  verbose: boolean,
): string[] {
  const r = why.result;
  const lines = [
    `${label}: ${recipient.address || '(no address)'}`,
    `  ${facts({ ...recipient, status: why.facts.status, command: why.facts.command, smtpCode: why.facts.code ? Number(why.facts.code) : undefined })}`,
  ];
  lines.push(`  ${families(why.facts)}`);
  lines.push(`  text: ${why.facts.text || '(none)'}`);
  if (why.matched) {
    lines.push(
      `  => ${r.type} / ${r.reason} by rule ${r.rule} (${file} line ${why.matched.line}${why.matched.tier ? `, tier ${why.matched.tier}` : ''})${r.denylist ? ', address denylisted' : ''}${r.qualified ? '' : ', kept "to qualify"'}`,
    );
    lines.push(`     because: ${why.matched.conditions.join(' and ')}`);
  } else {
    lines.push(`  => ${r.type} / ${r.reason}: no rule matched, kept "to qualify"`);
  }
  lines.push(`  ${why.skipped.length} rule(s) before did not match${verbose ? ':' : ' (--verbose lists them)'}`);
  if (verbose) for (const s of why.skipped) lines.push(`     ${s.rule} (line ${s.line}): ${s.failed} does not hold`);
  return lines;
}
