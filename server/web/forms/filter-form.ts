import { conditionProblems, type Condition } from '../../db/filters/recipient-condition.js';
import { text, raw, type FormBody } from '../console/forms.js';
import { conditionFromRows, FILTER_ROWS, rowsFromCondition, type FilterRow, type Match } from './filter-rows.js';

/**
 * The filter editor of the audience pages (segments, bulk actions) as a form: all / any of up to
 * FILTER_ROWS rows, or a condition in JSON (pure). The same fields as the delivery form's filter.
 */

export interface FilterForm {
  match: Match;
  rows: FilterRow[];
  filterJson: string;
}

export const blankFilterRows = (rows: FilterRow[] = []): FilterRow[] => [
  ...rows,
  ...Array.from({ length: Math.max(0, FILTER_ROWS - rows.length) }, () => ({ field: '', op: 'eq', value: '' })),
];

/** Reads the filter fields of a form or a query string. */
export function readFilterForm(body: FormBody): FilterForm {
  return {
    match: text(body, 'match', 3) === 'any' ? 'any' : 'all',
    rows: Array.from({ length: FILTER_ROWS }, (_, i) => ({
      field: text(body, `f${i}_field`, 80),
      op: text(body, `f${i}_op`, 16) || 'eq',
      value: text(body, `f${i}_value`, 4000),
    })),
    filterJson: raw(body, 'filterJson', 20_000).trim(),
  };
}

/** The form showing a condition: rows when they can, JSON otherwise. */
export function filterFormOf(condition: Condition | undefined): FilterForm {
  const shown = rowsFromCondition(condition);
  if (shown) return { match: shown.match, rows: blankFilterRows(shown.rows), filterJson: '' };
  return { match: 'all', rows: blankFilterRows(), filterJson: JSON.stringify(condition) };
}

/** The condition of the form (undefined when empty), or the checker's problem with it. */
export function conditionOfForm(form: FilterForm): { condition?: Condition; problem?: string } {
  let value: unknown;
  if (form.filterJson !== '') {
    try {
      value = JSON.parse(form.filterJson);
    } catch {
      return { problem: 'not valid JSON' };
    }
  } else value = conditionFromRows(form.match, form.rows);
  if (value === undefined) return {};
  const problems = conditionProblems(value, 'filter');
  return problems.length ? { problem: problems.slice(0, 3).join('; ') } : { condition: value as Condition };
}
