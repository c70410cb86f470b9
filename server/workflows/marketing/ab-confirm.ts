import type { Database } from '../../db/connect.js';
import type { AbTest } from '../../db/models/index.js';
import { findAbTestById, setAbTestStatus } from '../../db/repos/ab-tests.js';
import { releaseHeldTask } from '../../db/repos/workflow-tasks.js';
import { HeraldError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';

/**
 * An operator confirms the winner of an A/B test that waits for it: the test is confirmed and its
 * held rest becomes due now, so the workflow server's next poll sends the winner to it (console and
 * CLI call this; the workflow keeps its lease rules, nothing is sent in the caller's process).
 */
export async function confirmAbTest(db: Database, id: number, by: string, now: Date): Promise<AbTest> {
  const test = await findAbTestById(db, id);
  if (!test) throw new HeraldError('AB_TEST_NOT_FOUND', `no A/B test ${id}`, { exitCode: EXIT.DATA, status: 404 });
  if (test.status !== 'awaiting_confirmation')
    throw new HeraldError('AB_TEST_STATE', `the A/B test is ${test.status.replace(/_/g, ' ')}: there is nothing to confirm`, {
      exitCode: EXIT.DATA,
      status: 409,
    });
  if (!(await setAbTestStatus(db, id, ['awaiting_confirmation'], 'confirmed', now, { confirmedBy: by.slice(0, 100), confirmedAt: now })))
    throw new HeraldError('AB_TEST_STATE', 'the A/B test changed meanwhile; look at it again', { exitCode: EXIT.DATA, status: 409 });
  if (test.taskId !== null) await releaseHeldTask(db, test.taskId, now);
  return (await findAbTestById(db, id))!;
}
