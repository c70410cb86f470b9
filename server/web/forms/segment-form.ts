import type { SegmentValues } from '../../db/repos/segments.js';
import { text, type FieldErrors, type FormBody } from '../console/forms.js';
import { conditionOfForm, readFilterForm, type FilterForm } from './filter-form.js';
import { INTERNAL_NAME } from './service-form.js';

/** Reads and checks the segment form (pure): a name, a label, a description and a non-empty filter. */
export function parseSegmentForm(body: FormBody): {
  form: FilterForm;
  values: Omit<SegmentValues, 'condition'>;
  segment?: SegmentValues;
  errors: FieldErrors;
  filterProblem?: string;
} {
  const form = readFilterForm(body);
  const values = { name: text(body, 'name', 100), label: text(body, 'label', 200), description: text(body, 'description', 2000) || null };
  const errors: FieldErrors = {};
  if (!INTERNAL_NAME.test(values.name)) errors.name = 'form.error.internal_name';
  if (!values.label) errors.label = 'form.error.required';
  const { condition, problem } = conditionOfForm(form);
  if (problem) errors.filter = 'deliveries.error.filter';
  else if (!condition) errors.filter = 'audiences.error.empty_filter';
  return { form, values, segment: condition && !Object.keys(errors).length ? { ...values, condition } : undefined, errors, filterProblem: problem };
}
