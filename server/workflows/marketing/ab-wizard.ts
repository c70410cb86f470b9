import type { Condition } from '../../db/filters/recipient-condition.js';
import { parseDuration } from '../../shared/duration.js';
import { WINNER_CRITERIA, type WinnerCriterion } from './ab-winner.js';
import type { Activity, WorkflowDefinition } from './definition.js';

/**
 * The one-page A/B test of a delivery (the common case of Adobe's A/B workflows), pure: what the
 * operator chose, checked, and the workflow it becomes — the delivery's target, A and B at random
 * (their percentages), the rest after the wait gets the winner (automatically, or on confirmation).
 */
export interface AbWizardChoice {
  percentA: number;
  percentB: number;
  /** How long A and B collect reactions before the winner is picked, e.g. "4h", "1d". */
  wait: string;
  criterion: WinnerCriterion;
  confirm: boolean;
  /** Variant B's subject (A keeps the delivery's). */
  subjectB: string;
}

const HOUR = 3_600_000;

/** What is wrong with a choice, as `field: reason` (empty when it can be used). */
export function abWizardProblems(c: AbWizardChoice): string[] {
  const problems: string[] = [];
  for (const [field, p] of [
    ['percentA', c.percentA],
    ['percentB', c.percentB],
  ] as const) {
    if (!Number.isInteger(p) || p < 1 || p > 50) problems.push(`${field}: a whole percentage from 1 to 50`);
  }
  if (problems.length === 0 && c.percentA + c.percentB > 90) problems.push('percentB: A and B together take at most 90 %, so a rest is left for the winner');
  const wait = parseDuration(c.wait);
  if (wait === undefined || wait < HOUR || wait > 30 * 24 * HOUR) problems.push('wait: a duration from 1h to 30d, such as "4h" or "1d"');
  if (!WINNER_CRITERIA.includes(c.criterion)) problems.push(`criterion: one of ${WINNER_CRITERIA.join(', ')}`);
  if (!c.subjectB.trim() || c.subjectB.length > 255 || /[\u0000-\u001F\u007F]/.test(c.subjectB))
    problems.push('subjectB: a subject of 1 to 255 characters on one line');
  return problems;
}

/** The workflow of the test: `where` selects the delivery's target; templateA/B are the variants' templates. */
export function abWizardDefinition(c: AbWizardChoice, where: Condition | undefined, templateA: string, templateB: string): WorkflowDefinition {
  const activities: Activity[] = [
    { id: 'begin', type: 'start', next: 'target' },
    { id: 'target', type: 'query', ...(where ? { where } : {}), next: 'split' },
    {
      id: 'split',
      type: 'split',
      segments: [
        { name: 'A', percent: c.percentA, next: 'sendA' },
        { name: 'B', percent: c.percentB, next: 'sendB' },
      ],
      remainder: 'wait',
    },
    { id: 'sendA', type: 'delivery', template: templateA, next: 'done' },
    { id: 'sendB', type: 'delivery', template: templateB, next: 'done' },
    { id: 'wait', type: 'wait', duration: c.wait, next: 'pick' },
    { id: 'pick', type: 'abWinner', a: 'sendA', b: 'sendB', criterion: c.criterion, confirm: c.confirm, next: 'done' },
    { id: 'done', type: 'end' },
  ];
  return { activities };
}
