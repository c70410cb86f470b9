import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey, SCOPES } from '../../server/api/api-keys.js';
import { createApiKey } from '../../server/db/repos/api-keys.js';
import { upsertRecipients } from '../../server/db/repos/recipients.js';
import { herald } from '../helpers/cli.js';
import { addOperator, ConsoleClient, startConsole, type ConsoleHarness } from './helpers/console.js';
import { deliveryForm } from './helpers/delivery-form.js';
import { api } from './helpers/public.js';

/** Names every JavaScript object has through its prototype: never a field of Herald's condition language. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** What must never reach a user: the database's own error text. */
const DATABASE_TEXT = /SQLITE|unrecognized token|Sequelize|syntax error/i;

/** JSON text of an object nested `depth` levels deep (written as text: JSON.stringify itself overflows the stack on such values). */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}"deep"${'}'.repeat(depth)}`;

describe('hostile input: field names, NUL bytes and deep nesting get a 400 with a reason', function () {
  this.timeout(120_000);
  let h: ConsoleHarness;
  let admin: ConsoleClient;
  let auth: string;
  before(async () => {
    h = await startConsole();
    await upsertRecipients(h.db, [{ email: 'ann@example.com', lastName: 'Lee' }], new Set(['email', 'lastName']));
    const op = await addOperator(h.db, 'boss', ['admin']);
    admin = new ConsoleClient(h.base);
    await admin.login(op.login, op.password);
    await admin.get('/deliveries');
    const { key, prefix, secretHash } = generateApiKey();
    await createApiKey(h.db, { name: 'all', prefix, secretHash, scopes: [...SCOPES], operatorId: null, expiresAt: null }, new Date());
    auth = `Bearer ${key}`;
  });
  after(async () => h.close());

  const apiDelivery = (internalName: string, filter: unknown) =>
    api(h.base, auth, 'POST', '/deliveries', {
      internalName,
      label: internalName,
      subject: 'Hi',
      fromAddress: 'news@example.com',
      html: '<p>Hi <a href="<%= links.unsubscribe %>">unsubscribe</a></p>',
      target: { kind: 'all', filter },
    });

  const workflowSave = async (name: string, where: unknown) => {
    const file = join(h.instance.dir, `${name}.json`);
    const activities = [
      { id: 'begin', type: 'start', next: 'pick' },
      { id: 'pick', type: 'query', where, next: 'done' },
      { id: 'done', type: 'end' },
    ];
    writeFileSync(file, JSON.stringify({ name, label: name, definition: { activities } }));
    return herald(['workflow', 'save', file], h.instance.env);
  };

  for (const field of PROTOTYPE_NAMES) {
    it(`refuses the filter field "${field}" with a 400 and a message in the console (rows and JSON) and the API, and herald workflow save refuses it`, async () => {
      const before = await h.db.models.Delivery.count();
      const rows = await admin.post('/deliveries', deliveryForm({ internalName: `rows-${field.replace(/_/g, 'u')}`, f0_field: field, f0_value: 'x' }));
      assert.equal(rows.status, 400);
      assert.match(rows.text, /The filter is not valid/);
      assert.match(rows.text, /field: expected one of email/);
      const json = await admin.post(
        '/deliveries',
        deliveryForm({ internalName: `json-${field.replace(/_/g, 'u')}`, filterJson: JSON.stringify({ field, op: 'eq', value: 'x' }) }),
      );
      assert.equal(json.status, 400);
      assert.match(json.text, /field: expected one of email/);
      assert.equal(await h.db.models.Delivery.count(), before);

      const viaApi = await apiDelivery(`api-${field.replace(/_/g, 'u')}`, { field, op: 'eq', value: 'x' });
      assert.equal(viaApi.status, 400, JSON.stringify(viaApi.json));
      assert.match(viaApi.json.error.message, /filter\.field: expected one of email/);

      const saved = await workflowSave(`wf-${field.replace(/_/g, 'u')}`, { field, op: 'eq', value: 'x' });
      assert.equal(saved.code, 65, saved.stderr);
      assert.match(saved.stderr, /activities\[1\]\.where\.field: expected one of email/);
    });
  }

  it('refuses prototype names as activity types and keys in herald workflow save, and as condition keys', async () => {
    for (const type of ['constructor', 'toString']) {
      const file = join(h.instance.dir, `type-${type}.json`);
      const activities = [
        { id: 'begin', type: 'start', next: 'odd' },
        { id: 'odd', type, next: 'done' },
        { id: 'done', type: 'end' },
      ];
      writeFileSync(file, JSON.stringify({ name: `type-${type}`, definition: { activities } }));
      const saved = await herald(['workflow', 'save', file], h.instance.env);
      assert.equal(saved.code, 65, saved.stderr);
      assert.match(saved.stderr, /activities\[1\]\.type: expected one of start/);
    }
    const file = join(h.instance.dir, 'key.json');
    writeFileSync(
      file,
      '{"name":"keys","definition":{"activities":[{"id":"begin","type":"start","next":"done","constructor":1,"__proto__":{"x":1}},{"id":"done","type":"end"}]}}',
    );
    const saved = await herald(['workflow', 'save', file], h.instance.env);
    assert.equal(saved.code, 65, saved.stderr);
    assert.match(saved.stderr, /activities\[0\]\.constructor: unknown key/);
    assert.match(saved.stderr, /activities\[0\]\.__proto__: unknown key/);
    const keyed = await apiDelivery('proto-key', JSON.parse('{"__proto__":{"field":"email","op":"eq","value":"x"}}'));
    assert.equal(keyed.status, 400);
    assert.equal(await h.db.models.Workflow.count({ where: { name: ['keys', 'type-constructor', 'type-toString'] } }), 0);
  });

  it('answers 400 to a NUL byte in a console search or filter value, never with the database error', async () => {
    const pages = [
      '/recipients?by=email&q=an%00n',
      '/recipients?by=last_name&q=L%00',
      '/recipients?by=first_name&q=%00',
      '/audit?login=boss%00',
      '/deliveries/1/preview?recipient=ann%00@example.com',
    ];
    for (const path of pages) {
      const reply = await admin.get(path);
      assert.equal(reply.status, 400, path);
      assert.match(reply.text, /NUL/, path);
      assert.doesNotMatch(reply.text, DATABASE_TEXT, path);
    }
    const cursor = Buffer.from(JSON.stringify({ value: 'l\u0000', id: 5 })).toString('base64url');
    const paged = await admin.get(`/recipients?by=last_name&q=lee&after=${cursor}`);
    assert.equal(paged.status, 200, 'a cursor is ours: one holding a NUL is ignored like any forged cursor (the first page)');
    assert.match(paged.text, /ann@example\.com/);
    const forms = [
      deliveryForm({ internalName: 'nul-rows', f0_field: 'lastName', f0_op: 'startsWith', f0_value: 'L\u0000' }),
      deliveryForm({ internalName: 'nul-json', filterJson: JSON.stringify({ field: 'email', op: 'contains', value: 'a\u0000' }) }),
      deliveryForm({ internalName: 'nul-list', filterJson: JSON.stringify({ inList: 'vip\u0000' }) }),
      deliveryForm({ internalName: 'nul-label', label: 'Spring\u0000' }),
    ];
    for (const form of forms) {
      const reply = await admin.post('/deliveries', form);
      assert.equal(reply.status, 400, form.internalName);
      assert.match(reply.text, /NUL/, form.internalName);
      assert.doesNotMatch(reply.text, DATABASE_TEXT);
    }
    assert.equal(await h.db.models.Delivery.count({ where: { internalName: ['nul-rows', 'nul-json', 'nul-list', 'nul-label'] } }), 0);
  });

  it('answers 400 to a NUL byte anywhere in an API request (path, query, body, filter) and in herald workflow save', async () => {
    const calls: Array<[string, string, unknown]> = [
      ['GET', '/recipients/by-email/ann%00@example.com', undefined],
      ['GET', '/deliveries?state=paused%00', undefined],
      ['PUT', '/recipients/by-email/bob@example.com', { lastName: 'B\u0000b' }],
      [
        'POST',
        '/deliveries',
        {
          internalName: 'x',
          label: 'x',
          subject: 'x',
          fromAddress: 'a@example.com',
          target: { kind: 'all', filter: { field: 'email', op: 'eq', value: '\u0000' } },
        },
      ],
    ];
    for (const [method, path, body] of calls) {
      const res = await api(h.base, auth, method, path, body);
      assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.json)}`);
      assert.match(JSON.stringify(res.json), /NUL/, path);
      assert.doesNotMatch(JSON.stringify(res.json), DATABASE_TEXT, path);
    }
    const saved = await workflowSave('nul', { field: 'lastName', op: 'startsWith', value: 'L\u0000' });
    assert.equal(saved.code, 65, saved.stderr);
    assert.match(saved.stderr, /NUL/);
  });

  it('answers 400 to an event context nested thousands of levels deep, and to any API body nested that deep', async () => {
    const event = await api(h.base, auth, 'POST', '/events', `{"type":"order-shipped","email":"ann@example.com","ctx":${nested(5000)}}`);
    assert.equal(event.status, 400, JSON.stringify(event.json));
    assert.match(JSON.stringify(event.json.error), /nested deeper than/);
    const shallow = await api(h.base, auth, 'POST', '/events', { type: 'order-shipped', email: 'ann@example.com', ctx: JSON.parse(nested(9)) });
    assert.equal(shallow.status, 400);
    assert.match(JSON.stringify(shallow.json.error), /nested deeper than 8 levels/);
    const recipient = await api(h.base, auth, 'PUT', '/recipients/by-email/deep@example.com', `{"fields":${nested(5000)}}`);
    assert.equal(recipient.status, 400, JSON.stringify(recipient.json));
    assert.match(JSON.stringify(recipient.json.error), /nested deeper than/);
  });
});
