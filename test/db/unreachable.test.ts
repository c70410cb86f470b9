import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { type DatabaseUnavailableError, openDatabase } from '../../server/db/connect.js';
import { createInstance, testDialect, type TestInstance } from '../helpers/instance.js';

describe('an unreachable SQLite database', () => {
  let instance: TestInstance;
  before(function () {
    if (testDialect() !== 'sqlite') this.skip();
    instance = createInstance();
  });
  after(() => instance?.cleanup());

  it('fails at once with DB_UNREACHABLE instead of hanging (a failed open is neither retried nor closed)', async () => {
    mkdirSync(instance.paths.sqliteFile, { recursive: true });
    await assert.rejects(openDatabase(instance.config, instance.paths), (err: DatabaseUnavailableError) => {
      assert.equal(err.code, 'DB_UNREACHABLE');
      assert.match(err.message, /SQLITE_CANTOPEN/);
      return true;
    });
  });
});
