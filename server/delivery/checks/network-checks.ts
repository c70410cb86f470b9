import type { HeraldConfig } from '../../shared/config/schema.js';
import { buildMessage } from '../build-message.js';
import { compileDelivery } from '../compile-delivery.js';
import { sendingIdentity } from '../delivery-content.js';
import type { ContentOwner, MessageContent } from '../message-content.js';
import type { Issue } from '../template/plan.js';
import type { ContentFacts } from './content-facts.js';
import { checkLinks } from './link-check.js';
import { spamScore } from './spam-score.js';

/**
 * The pre-send checks that ask something outside Herald, run by the analysis after the control
 * rules found no error: the link check (content.checkLinks) and the SpamAssassin score
 * (content.spamcPath) of one message built as a recipient would get it (without DKIM).
 */
export async function networkChecks(config: HeraldConfig, content: MessageContent & ContentOwner, facts: ContentFacts, now: Date): Promise<Issue[]> {
  const c = config.content;
  const issues: Issue[] = [];
  if (c.checkLinks && facts.urls.length > 0)
    issues.push(...(await checkLinks(facts.urls, { timeoutMs: c.linkTimeoutMs, proxy: c.linkProxy, level: c.brokenLinkLevel, maxLinks: c.maxLinksChecked })));
  if (c.spamcPath) {
    const compiled = compileDelivery({
      delivery: content,
      urls: 'direct',
      identity: sendingIdentity(config),
      dkim: [],
      list: { name: content.internalName, label: content.label },
    });
    const sample = { id: 0, email: 'recipient@example.com', firstName: 'Alex', lastName: 'Example', emailFormat: 'html' as const, fields: null };
    const built = buildMessage(compiled, sample, { id: 0, address: sample.email, emailFormat: 'html' }, now);
    const score = built.ok
      ? await spamScore(built.raw, { path: c.spamcPath, host: c.spamdHost, port: c.spamdPort, timeoutMs: c.linkTimeoutMs * 2 })
      : undefined;
    if (score) issues.push(score);
  }
  return issues;
}
