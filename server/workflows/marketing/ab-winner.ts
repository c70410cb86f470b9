/**
 * The winner rule of an A/B test (pure). Each variant is judged on the messages it sent (broad logs
 * `sent`) and the recipients who reacted, each counted once (unique), from ingested tracking:
 *
 * - `opens`:  unique openers / messages sent. An opener is a recipient with any hit (a click
 *   proves the message was opened even when images were blocked).
 * - `clicks`: unique clickers / messages sent.
 * - `ctr`:    click-through rate, unique clickers / unique openers (how well the content converts
 *   those who saw it).
 *
 * Rates, not counts, so unequal variant sizes compare fairly. Rates are compared exactly (as
 * fractions, no rounding). A tie, and a test without data (no message sent, or no reaction in
 * either variant), goes to A, the control variant; the decision says which rule decided.
 */

export type WinnerCriterion = 'opens' | 'clicks' | 'ctr';
export const WINNER_CRITERIA: readonly WinnerCriterion[] = ['opens', 'clicks', 'ctr'];

export interface VariantCounts {
  sent: number;
  openers: number;
  clickers: number;
}

export type Variant = 'A' | 'B';

export interface WinnerDecision {
  winner: Variant;
  /** `score`: the better rate won; `tie`: equal rates; `no_data`: nothing to compare. */
  decidedBy: 'score' | 'tie' | 'no_data';
  /** The rates compared, for the report (null: no denominator). */
  rates: Record<Variant, number | null>;
}

type Fraction = { num: number; den: number };

function fraction(c: VariantCounts, criterion: WinnerCriterion): Fraction {
  if (criterion === 'opens') return { num: c.openers, den: c.sent };
  if (criterion === 'clicks') return { num: c.clickers, den: c.sent };
  return { num: c.clickers, den: c.openers };
}

const rate = (f: Fraction) => (f.den > 0 ? f.num / f.den : null);

export function pickWinner(a: VariantCounts, b: VariantCounts, criterion: WinnerCriterion): WinnerDecision {
  const fa = fraction(a, criterion);
  const fb = fraction(b, criterion);
  const rates = { A: rate(fa), B: rate(fb) };
  if (fa.den === 0 && fb.den === 0) return { winner: 'A', decidedBy: 'no_data', rates };
  if (fa.num === 0 && fb.num === 0) return { winner: 'A', decidedBy: 'no_data', rates };
  // a variant without a denominator has no score: the other one wins if it has any reaction
  if (fa.den === 0) return { winner: 'B', decidedBy: 'score', rates };
  if (fb.den === 0) return { winner: 'A', decidedBy: 'score', rates };
  const left = fa.num * fb.den;
  const right = fb.num * fa.den;
  if (left === right) return { winner: 'A', decidedBy: 'tie', rates };
  return { winner: left > right ? 'A' : 'B', decidedBy: 'score', rates };
}
