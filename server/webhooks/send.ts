import type { Database } from '../db/connect.js';
import { dueCallbacks, settleCallback, type CallbackOutcome, type DueCallback } from '../db/repos/webhooks.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { VERSION } from '../shared/version.js';
import { retryDelaySeconds, signatureHeader } from './signature.js';

/**
 * Step 2 of a webhook round: POST the due callbacks to their endpoints (only URLs from the config,
 * redirects never followed), signed, with a timeout. A 2xx is sent; anything else is retried later
 * (doubling delays) until webhooks.maxAttempts, then the callback is marked failed.
 */

export interface SendDeps {
  db: Database;
  config: HeraldConfig;
  log: Logger;
}

const PARALLEL = 8;

async function post(deps: SendDeps, c: DueCallback, now: Date): Promise<{ ok: boolean; httpStatus: number | null; error: string }> {
  const endpoint = deps.config.webhooks.endpoints.find((e) => e.name === c.endpoint);
  if (!endpoint) return { ok: false, httpStatus: null, error: 'the endpoint is no longer configured' };
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.config.webhooks.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': `Herald/${VERSION}`,
        'herald-event': c.eventType,
        'herald-delivery': String(c.id),
        'herald-signature': signatureHeader(endpoint.secret, c.payload, Math.floor(now.getTime() / 1000)),
      },
      body: c.payload,
    });
    await response.body?.cancel();
    return { ok: response.status >= 200 && response.status < 300, httpStatus: response.status, error: `HTTP ${response.status}` };
  } catch (err) {
    return { ok: false, httpStatus: null, error: describeError((err as { cause?: unknown }).cause ?? err) };
  }
}

function outcomeOf(deps: SendDeps, c: DueCallback, result: Awaited<ReturnType<typeof post>>, now: Date): CallbackOutcome {
  if (result.ok) return { status: 'sent', httpStatus: result.httpStatus! };
  const w = deps.config.webhooks;
  const attempt = c.attempts + 1;
  const gone = attempt >= w.maxAttempts || result.error.startsWith('the endpoint is no longer');
  if (gone) deps.log.warn('WEBHOOK_GIVEN_UP', { endpoint: c.endpoint, id: c.id, attempts: attempt, status: result.httpStatus, err: result.error });
  const next = gone ? null : new Date(now.getTime() + retryDelaySeconds(attempt, w.retryInitialSeconds, w.retryMaxSeconds) * 1000);
  return { status: gone ? 'failed' : 'pending', httpStatus: result.httpStatus, error: result.error, nextAttemptAt: next };
}

/** Sends the due callbacks; returns how many succeeded. */
export async function sendDue(deps: SendDeps, clock: () => Date): Promise<number> {
  const due = await dueCallbacks(deps.db, clock(), deps.config.webhooks.batchSize);
  let sent = 0;
  for (let i = 0; i < due.length; i += PARALLEL) {
    await Promise.all(
      due.slice(i, i + PARALLEL).map(async (c) => {
        const result = await post(deps, c, clock());
        const now = clock();
        await settleCallback(deps.db, c.id, outcomeOf(deps, c, result, now), now);
        if (result.ok) sent++;
      }),
    );
  }
  return sent;
}
