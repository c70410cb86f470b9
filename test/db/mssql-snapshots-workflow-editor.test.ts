import assert from 'node:assert/strict';
import { listVersions, publishVersion, saveDraft } from '../../server/db/repos/workflow-versions.js';
import { fillCustomField, recipientIdsByEmail, recipientValues } from '../../server/db/repos/workflow-recipient-data.js';
import { openRun } from '../../server/db/repos/workflows.js';
import { captureMssql, type MssqlCapture } from '../helpers/mssql-capture.js';
import { matchSnapshot } from '../helpers/snapshots.js';

const NOW = new Date('2026-06-01T04:00:00.000Z');

/** The T-SQL of the workflow editor's versions and of the Deduplication, Enrichment and Signal reads and writes, pinned in snapshots. */
describe('SQL Server SQL of the workflow editor and its data activities (snapshots)', () => {
  let capture: MssqlCapture;
  before(() => (capture = captureMssql()));
  after(() => capture.restore());

  it('numbers a version and makes it current only while the workflow is in an allowed state, in one transaction', async () => {
    await publishVersion(capture.db, {
      workflowId: 7,
      definition: {
        activities: [
          { id: 'go', type: 'start', next: 'done' },
          { id: 'done', type: 'end' },
        ],
      },
      schedule: 'CRON_TZ=Europe/Paris 0 9 * * 1',
      by: 'marketer',
      now: NOW,
      states: ['editing', 'paused'],
    });
    await saveDraft(capture.db, 7, { activities: [] }, NOW);
    await listVersions(capture.db, 7);
    const sql = capture.take();
    assert.match(sql, /SELECT max\(\[version\]\) AS \[max\] FROM \[workflow_versions\]/);
    assert.match(
      sql,
      /UPDATE \[workflows\] SET \[definition\]=@0,\[schedule\]=@1,\[version\]=@2,\[draft\]=@3,\[updated_at\]=@4 WHERE \[id\] = @5 AND \[state\] IN \(N'editing', N'paused'\)/,
    );
    matchSnapshot('workflow-versions', sql);
  });

  it('journals the version a run runs', async () => {
    await openRun(capture.db, { workflowId: 7, trigger: 'resume', slot: null, owner: 'host:1:abc', startedAt: NOW, version: 3 }).catch(() => undefined);
    const sql = capture.take();
    assert.match(sql, /INSERT INTO \[workflow_runs\] \(\[workflow_id\],\[trigger\],\[slot\],\[status\],\[started_at\],\[owner\],\[version\]\)/);
    matchSnapshot('workflow-open-run-version', sql);
  });

  it('reads emails and custom fields of a population, fills a custom field, and finds recipients by address', async () => {
    await recipientValues(capture.db, [1, 2, 3], 'email');
    await fillCustomField(capture.db, { ids: [1, 2], byEmail: new Map([['a@x.org', 'Paris']]), field: 'city', overwrite: false, now: NOW });
    await recipientIdsByEmail(capture.db, ['a@x.org', "o'brien@x.org"]);
    const sql = capture.take();
    assert.match(sql, /WHERE \[Recipient\]\.\[email\] IN \(N'a@x\.org', N'o''brien@x\.org'\) AND \[Recipient\]\.\[erased_at\] IS NULL/);
    matchSnapshot('workflow-recipient-data', sql);
  });
});
