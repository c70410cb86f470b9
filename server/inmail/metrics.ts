import { Counter, Gauge } from 'prom-client';
import type { Registry } from '../shared/metrics/registry.js';
import type { Plan } from './plan-effects.js';

/**
 * inMail's metrics: SMTP sessions (accepted connections, open now), messages taken or refused at
 * DATA, and what processing made of them — bounces by failure type and reason (glossary values
 * only), complaints, unsubscribes, messages kept for review — plus the messages waiting in the spool.
 */
export interface InmailMetrics {
  session(): void;
  received(outcome: 'accepted' | 'refused'): void;
  planned(plan: Plan): void;
}

export function registerInmailMetrics(registry: Registry, live: { connections: () => number; queued: () => number }): InmailMetrics {
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  const sessions = counter('herald_inmail_smtp_sessions_total', 'SMTP connections accepted by the bounce server.');
  const messages = counter('herald_inmail_messages_received_total', 'Messages sent to the bounce server over SMTP, taken (spooled) or refused at DATA.', [
    'outcome',
  ]);
  const bounces = counter('herald_inmail_bounces_total', 'Bounces that failed a message, by failure type and reason.', ['type', 'reason']);
  const complaints = counter('herald_inmail_complaints_total', 'Spam complaints (ARF) matched to a message.');
  const unsubscribes = counter('herald_inmail_unsubscribes_total', 'Unsubscribe requests by mail (List-Unsubscribe mailto or a complaint opt-out).');
  const kept = counter('herald_inmail_messages_kept_total', 'Inbound messages kept for review instead of applied (unrecognised or unmatched).');
  const live_ = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  live_('herald_inmail_smtp_sessions_active', 'SMTP connections open now.', live.connections);
  live_('herald_inmail_spool_messages', 'Messages received and not yet processed (in the spool).', live.queued);
  for (const outcome of ['accepted', 'refused']) messages.inc({ outcome }, 0);
  return {
    session: () => sessions.inc(),
    received: (outcome) => messages.inc({ outcome }),
    planned(plan) {
      if (plan.keep) kept.inc();
      if (plan.matchedBy === 'unsubscribe' || plan.unsubscribe) unsubscribes.inc();
      if (plan.failure?.complaint) complaints.inc();
      else if (plan.failure) bounces.inc({ type: plan.failure.type, reason: plan.failure.reason });
    },
  };
}
