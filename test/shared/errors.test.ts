import assert from 'node:assert/strict';
import { isStorageFull } from '../../server/shared/errors.js';

describe('storage-full errors', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['SQLite refusing a write', Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }), true],
    ['a file write on a full disk', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), true],
    ['SQL Server out of space for a file group', { original: { number: 1105, message: 'Could not allocate space' } }, true],
    ['SQL Server with a full transaction log', { original: { number: 9002, message: 'The transaction log is full' } }, true],
    [
      'PostgreSQL out of disk (SQLSTATE 53100), inside a Sequelize error',
      { original: { code: '53100', message: 'could not extend file "base/16384/16390"' } },
      true,
    ],
    ['a unique violation', { original: { code: '23505', message: 'duplicate key value violates unique constraint' } }, false],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), false],
  ];
  for (const [name, err, full] of cases) {
    it(`${full ? 'recognises' : 'does not mistake'} ${name}${full ? ' as storage full' : ' for storage full'}`, () => {
      assert.equal(isStorageFull(err), full);
    });
  }
});
