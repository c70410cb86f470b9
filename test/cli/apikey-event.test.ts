import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/connect.js';
import { hashSecret, parseApiKey } from '../../server/api/api-keys.js';
import { herald } from '../helpers/cli.js';
import { createInstance, type TestInstance } from '../helpers/instance.js';

describe('herald apikey and event commands', function () {
  this.timeout(120_000);
  let instance: TestInstance;
  let key = '';
  before(async () => {
    instance = createInstance();
    assert.equal((await herald(['db', 'migrate'], instance.env)).code, 0);
  });
  after(() => instance.cleanup());

  it('creates an API key, shows its secret once and stores only a prefix and a hash', async () => {
    const add = await herald(['apikey', 'add', 'crm', '--scopes', 'events:write,recipients:read'], instance.env);
    assert.equal(add.code, 0, add.stderr);
    key = /key \(shown once[^)]*\): (hk_\S+)/.exec(add.stdout)![1]!;
    const parsed = parseApiKey(key)!;
    const db = await openDatabase(instance.config, instance.paths);
    try {
      const row = (await db.models.ApiKey.findOne({ where: { name: 'crm' } }))!;
      assert.equal(row.prefix, parsed.prefix);
      assert.equal(row.secretHash, hashSecret(parsed.secret));
      assert.deepEqual(row.scopes, ['events:write', 'recipients:read']);
      assert.ok(!JSON.stringify(row.get()).includes(parsed.secret), 'the secret is not stored');
    } finally {
      await db.close();
    }
    const list = await herald(['apikey', 'list'], instance.env);
    assert.match(list.stdout, new RegExp(`crm\\s+${parsed.prefix}\\s+active\\s+events:write,recipients:read\\s+never`));
    assert.ok(!list.stdout.includes(parsed.secret));
  });

  it('refuses unknown scopes, duplicate names and unknown keys to revoke', async () => {
    const bad = await herald(['apikey', 'add', 'x', '--scopes', 'events:write,root'], instance.env);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /unknown: root/);
    assert.equal((await herald(['apikey', 'add', 'crm', '--scopes', 'all'], instance.env)).code, 65);
    assert.equal((await herald(['apikey', 'revoke', 'nobody'], instance.env)).code, 65);
  });

  it('revokes a key by name', async () => {
    const revoke = await herald(['apikey', 'revoke', 'crm'], instance.env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match((await herald(['apikey', 'list', '--json'], instance.env)).stdout, /"state":"revoked"/);
  });

  it('publishes an event template, sends an event through it and shows its status', async () => {
    const html = join(instance.dir, 'order.html');
    writeFileSync(html, '<html><body><p>Order <%= event.orderId %></p></body></html>');
    const publish = await herald(
      ['event', 'publish', 'order-shipped', '--subject', 'Shipped <%= event.orderId %>', '--from', 'Shop <shop@example.com>', '--html', html, '--no-tracking'],
      instance.env,
    );
    assert.equal(publish.code, 0, publish.stderr);
    assert.match(publish.stdout, /event type "order-shipped" published \(version 1/);
    const broken = await herald(
      ['event', 'publish', 'broken', '--subject', 'x', '--from', 'shop@example.com', '--html', html.replace('order', 'missing')],
      instance.env,
    );
    assert.equal(broken.code, 66, 'an unreadable file');
    const send = await herald(
      ['event', 'send', 'order-shipped', '--to', 'ann@example.com', '--ctx', '{"orderId":"A-9"}', '--idempotency-key', 'a9', '--json'],
      instance.env,
    );
    assert.equal(send.code, 0, send.stderr);
    const stored = JSON.parse(send.stdout) as { id: number; status: string };
    assert.equal(stored.status, 'routed');
    assert.match(
      (await herald(['event', 'send', 'order-shipped', '--to', 'ann@example.com', '--ctx', '{"orderId":"A-9"}', '--idempotency-key', 'a9'], instance.env))
        .stdout,
      /existed already/,
    );
    assert.match((await herald(['event', 'show', String(stored.id)], instance.env)).stdout, /order-shipped\) to ann@example\.com: pending/);
    assert.match((await herald(['event', 'types'], instance.env)).stdout, /order-shipped {2}v1 {2}template \d+/);
    assert.equal((await herald(['event', 'unpublish', 'order-shipped'], instance.env)).code, 0);
    assert.match((await herald(['event', 'send', 'order-shipped', '--to', 'bob@example.com'], instance.env)).stdout, /not covered/);
  });
});
