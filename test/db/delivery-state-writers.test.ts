import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_ROOT } from '../../server/shared/app-root.js';
import { deliveryStateWrites } from '../helpers/delivery-state-writes.js';

/** Where delivery states may be written: the one state writer, and the schema migrations. */
const WRITER = 'server/db/repos/delivery-state.ts';
const MIGRATIONS = 'server/db/migrations/';
/** Model declarations hand each class to bind() (models/bind.ts), which binds it to a database and writes nothing. */
const MODELS = 'server/db/models/';
const isBinding = (w: { file: string; what: string }) => w.file.startsWith(MODELS) && w.what.startsWith('hands the Delivery model');
const FIXTURE = join(APP_ROOT, 'test', 'fixtures', 'state-writes', 'every-kind.ts');

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('delivery states change only through the lifecycle helper', function () {
  this.timeout(180_000);
  const server = tsFiles(join(APP_ROOT, 'server'));
  let writes: ReturnType<typeof deliveryStateWrites>;
  before(() => (writes = deliveryStateWrites([...server, FIXTURE])));

  it('finds every kind of state write in a file made of them, and nothing else there', () => {
    const fixture = relative(APP_ROOT, FIXTURE);
    const marked = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.endsWith('// ✗') ? [i + 1] : []));
    const found = [...new Set(writes.filter((w) => w.file === fixture).map((w) => w.line))];
    assert.ok(marked.length >= 15, 'the fixture holds the kinds of writes');
    assert.deepEqual(found, marked);
  });

  it('finds none in server/ outside the state writer (changeDeliveryState, insertDelivery), the migrations and the binding of the model', () => {
    const outside = writes.filter((w) => w.file.startsWith('server/') && w.file !== WRITER && !w.file.startsWith(MIGRATIONS) && !isBinding(w));
    assert.deepEqual(
      outside.map((w) => `${w.file}:${w.line} ${w.what}`),
      [],
    );
    assert.ok(
      writes.some((w) => w.file === WRITER),
      'the state writer itself is seen writing',
    );
  });
});
