import type { AbTest } from '../../db/models/index.js';

/**
 * An A/B test as its report shows it: A and B side by side with the counts the decision used
 * (messages sent, unique openers, unique clickers, the rate compared), the winner and how it was
 * decided, and whether it waits for an operator's confirmation.
 */
export interface AbTestView {
  id: number;
  criterion: string;
  winner: 'A' | 'B';
  decidedBy: string;
  status: string;
  decidedAt: Date;
  restSize: number;
  confirmedBy: string | null;
  deliveries: { A: number | null; B: number | null; winner: number | null };
  variants: Array<{ name: 'A' | 'B'; sent: number; openers: number; clickers: number; rate: number | null; winner: boolean }>;
  confirmable: boolean;
}

const count = (v: unknown, key: string) => {
  const n = (v as Record<string, unknown> | undefined)?.[key];
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
};

export function abTestView(t: AbTest): AbTestView {
  const counts = (t.counts ?? {}) as Record<string, unknown>;
  const rates = (counts.rates ?? {}) as Record<string, unknown>;
  const variant = (name: 'A' | 'B') => ({
    name,
    sent: count(counts[name], 'sent'),
    openers: count(counts[name], 'openers'),
    clickers: count(counts[name], 'clickers'),
    rate: typeof rates[name] === 'number' ? (rates[name] as number) : null,
    winner: t.winner === name,
  });
  return {
    id: t.id,
    criterion: t.criterion,
    winner: t.winner,
    decidedBy: t.decidedBy,
    status: t.status,
    decidedAt: t.decidedAt,
    restSize: t.restSize,
    confirmedBy: t.confirmedBy,
    deliveries: { A: t.deliveryAId, B: t.deliveryBId, winner: t.winnerDeliveryId },
    variants: [variant('A'), variant('B')],
    confirmable: t.status === 'awaiting_confirmation',
  };
}
