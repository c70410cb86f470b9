import { quarantinePolicy } from '../../bounce/quarantine-policy.js';
import { RELEASE_RULES, releaseRule } from '../../bounce/quarantine-release.js';
import { lastSuccessfulSends, releaseToValid, withErrorsAfter } from '../../db/repos/quarantine-release.js';
import type { Counts } from '../runner.js';
import type { TechnicalContext } from './context.js';

/** Quarantine release: pages through the addresses "with errors" and releases those a rule (server/bounce/quarantine-release.ts) frees. */
export async function runQuarantineRelease(ctx: TechnicalContext): Promise<Counts> {
  const counts: Counts = { examined: 0, released: 0, ...Object.fromEntries(RELEASE_RULES.map((r) => [r.id, 0])) };
  const policy = quarantinePolicy(ctx.config.quarantine);
  const batch = ctx.config.wfserver.cleanup.batchSize;
  for (let after = 0; ;) {
    const page = await withErrorsAfter(ctx.db, after, batch);
    if (page.length === 0) return counts;
    const successes = await lastSuccessfulSends(
      ctx.db,
      page.map((q) => q.address),
    );
    const released: number[] = [];
    for (const q of page) {
      const rule = releaseRule({ ...q, lastSuccessAt: successes.get(q.address) ?? null }, ctx.now, policy);
      if (rule) {
        released.push(q.id);
        counts[rule]!++;
      }
    }
    counts.examined! += page.length;
    counts.released! += await releaseToValid(ctx.db, released, ctx.now);
    after = page[page.length - 1]!.id;
  }
}
