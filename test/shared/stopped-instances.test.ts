import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoppedInstances } from '../../server/shared/stopped-instances.js';

describe('instances stopped on request, written down for the next watchdog', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-stopped-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back the instances marked, with when, and forgets one cleared', () => {
    const marks = new StoppedInstances(join(dir, 'run', 'stopped'));
    assert.deepEqual([...marks.read()], [], 'no folder yet: nothing stopped');
    assert.equal(marks.mark('brand-b', new Date('2026-12-07T10:00:00Z')), undefined);
    assert.equal(marks.mark('herald', new Date('2026-12-07T11:00:00Z')), undefined);
    assert.deepEqual([...new StoppedInstances(join(dir, 'run', 'stopped')).read()].sort(), [
      ['brand-b', '2026-12-07T10:00:00.000Z'],
      ['herald', '2026-12-07T11:00:00.000Z'],
    ]);
    marks.clear('brand-b');
    marks.clear('never-stopped');
    assert.deepEqual([...marks.read().keys()], ['herald']);
  });

  it('keeps a mark cut short as a stop, and ignores files that are not instance names', () => {
    const folder = join(dir, 'stopped');
    mkdirSync(folder);
    writeFileSync(join(folder, 'brand-c'), '{"stoppedAt":"2026-1');
    writeFileSync(join(folder, 'brand-d.tmp'), '{}');
    assert.deepEqual([...new StoppedInstances(folder).read()], [['brand-c', '1970-01-01T00:00:00.000Z']]);
  });

  it('says why a mark could not be written, instead of throwing', () => {
    writeFileSync(join(dir, 'run'), 'a file where the run folder should be');
    assert.match(new StoppedInstances(join(dir, 'run', 'stopped')).mark('brand-b', new Date()) ?? '', /EEXIST|ENOTDIR/);
  });
});
