import type { Qualification } from '../../db/repos/bounce-texts.js';
import { FAILURE_REASONS, FAILURE_TYPES, type FailureReason, type FailureType } from '../../shared/glossary.js';
import { text, type FieldErrors, type FormBody } from '../console/forms.js';

/** Reads the qualification of a bounce text (pure): keep it with a failure type and reason, or ignore it. */
export function parseQualification(body: FormBody): { value?: Qualification; errors: FieldErrors } {
  const status = text(body, 'status', 16);
  const failureType = text(body, 'failureType', 16) as FailureType;
  const failureReason = text(body, 'failureReason', 32) as FailureReason;
  const errors: FieldErrors = {};
  if (status !== 'keep' && status !== 'ignore') errors.status = 'monitoring.error.status';
  if (!FAILURE_TYPES.includes(failureType)) errors.failureType = 'monitoring.error.type';
  if (!FAILURE_REASONS.includes(failureReason)) errors.failureReason = 'monitoring.error.reason';
  if (Object.keys(errors).length > 0) return { errors };
  return { value: { status: status as Qualification['status'], failureType, failureReason }, errors };
}
