import assert from 'node:assert/strict';
import { pickWinner, type VariantCounts, type WinnerCriterion, type WinnerDecision } from '../../../server/workflows/marketing/ab-winner.js';

const v = (sent: number, openers: number, clickers: number): VariantCounts => ({ sent, openers, clickers });

const CASES: Array<{ case: string; a: VariantCounts; b: VariantCounts; criterion: WinnerCriterion; expected: Pick<WinnerDecision, 'winner' | 'decidedBy'> }> = [
  { case: 'more unique opens per message sent', a: v(100, 20, 1), b: v(100, 30, 0), criterion: 'opens', expected: { winner: 'B', decidedBy: 'score' } },
  { case: 'rates, not counts, on unequal variants', a: v(50, 15, 0), b: v(200, 40, 0), criterion: 'opens', expected: { winner: 'A', decidedBy: 'score' } },
  { case: 'more unique clicks per message sent', a: v(100, 50, 5), b: v(100, 10, 6), criterion: 'clicks', expected: { winner: 'B', decidedBy: 'score' } },
  { case: 'click-through rate: clickers per opener', a: v(100, 10, 5), b: v(100, 50, 10), criterion: 'ctr', expected: { winner: 'A', decidedBy: 'score' } },
  { case: 'equal rates: a tie goes to A', a: v(100, 10, 0), b: v(200, 20, 0), criterion: 'opens', expected: { winner: 'A', decidedBy: 'tie' } },
  { case: 'no reaction in either variant goes to A', a: v(100, 0, 0), b: v(100, 0, 0), criterion: 'clicks', expected: { winner: 'A', decidedBy: 'no_data' } },
  { case: 'no message sent at all goes to A', a: v(0, 0, 0), b: v(0, 0, 0), criterion: 'opens', expected: { winner: 'A', decidedBy: 'no_data' } },
  {
    case: 'a variant that sent nothing loses to one with reactions',
    a: v(0, 0, 0),
    b: v(10, 1, 0),
    criterion: 'opens',
    expected: { winner: 'B', decidedBy: 'score' },
  },
  {
    case: 'no opener in either variant gives no click-through rate',
    a: v(10, 0, 0),
    b: v(10, 0, 0),
    criterion: 'ctr',
    expected: { winner: 'A', decidedBy: 'no_data' },
  },
  {
    case: 'rates compared exactly, not rounded',
    a: v(3, 1, 0),
    b: v(1_000_000, 333_334, 0),
    criterion: 'opens',
    expected: { winner: 'B', decidedBy: 'score' },
  },
];

describe('A/B winner rule', () => {
  for (const c of CASES) {
    it(`decides on ${c.case}`, () => {
      const d = pickWinner(c.a, c.b, c.criterion);
      assert.deepEqual({ winner: d.winner, decidedBy: d.decidedBy }, c.expected);
    });
  }

  it('reports the rates it compared, null without a denominator', () => {
    assert.deepEqual(pickWinner(v(4, 1, 0), v(0, 0, 0), 'opens').rates, { A: 0.25, B: null });
  });
});
