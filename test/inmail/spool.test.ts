import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool, type Envelope } from '../../server/inmail/spool.js';

const envelope = (n: number): Envelope => ({
  mailFrom: '',
  rcptTo: [`bounce+${n}@bounce.example.com`],
  remoteAddress: '127.0.0.1',
  receivedAt: '2026-03-02T10:00:00.000Z',
});

async function store(spool: Spool, n: number, body: Buffer): Promise<void> {
  const writer = spool.writer(envelope(n));
  for (let i = 0; i < body.length; i += 64 * 1024) await writer.write(body.subarray(i, i + 64 * 1024));
  await writer.finish();
}

describe('inMail spool (journal and files)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'herald-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores small messages in the journal and large ones in their own file, and gives both back after a restart', async () => {
    const spool = new Spool(dir);
    await spool.init();
    await Promise.all([1, 2, 3].map((n) => store(spool, n, Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`))));
    await store(spool, 4, Buffer.alloc(300 * 1024, 'x'));
    await spool.close();
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.journal')).length, 1);
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.msg')).length, 1);

    const again = new Spool(dir);
    await again.init();
    const entries = await again.list();
    assert.deepEqual(
      entries.map((e) => e.envelope.rcptTo[0]),
      [1, 2, 3, 4].map((n) => envelope(n).rcptTo[0]),
    );
    assert.equal((await again.read(entries[1]!)).toString(), 'Subject: 2\r\n\r\nbody 2\r\n');
    assert.equal((await again.read(entries[3]!)).length, 300 * 1024);
    await again.close();
  });

  it('does not give back processed messages, and deletes a finished segment', async () => {
    const spool = new Spool(dir);
    await spool.init();
    for (const n of [1, 2, 3]) await store(spool, n, Buffer.from(`m${n}`));
    await spool.close();
    const again = new Spool(dir);
    const entries = await again.list();
    await again.removeAll(entries.slice(0, 2));
    assert.deepEqual(
      (await new Spool(dir).list()).map((e) => e.envelope.rcptTo[0]),
      [envelope(3).rcptTo[0]],
    );
    await again.removeAll(entries.slice(2));
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('.journal')),
      [],
    );
  });

  it('ignores a record torn by a crash (never acknowledged)', async () => {
    const spool = new Spool(dir);
    await spool.init();
    await store(spool, 1, Buffer.from('whole'));
    await spool.close();
    const segment = readdirSync(dir).find((n) => n.endsWith('.journal'))!;
    appendFileSync(join(dir, segment), Buffer.from('HRL1\u0000\u0000\u0001\u0000partial'));
    const entries = await new Spool(dir).list();
    assert.deepEqual(
      entries.map((e) => e.envelope.rcptTo[0]),
      [envelope(1).rcptTo[0]],
    );
  });

  it('acknowledges many concurrent messages with their own, readable records', async () => {
    const spool = new Spool(dir);
    await spool.init();
    const writers = Array.from({ length: 200 }, (_, n) => {
      const w = spool.writer(envelope(n));
      return w.write(Buffer.from(`message ${n}`)).then(() => w.finish());
    });
    const entries = await Promise.all(writers);
    await spool.close();
    const reread = new Spool(dir);
    for (const entry of entries.slice(0, 20))
      assert.equal((await reread.read({ ...entry, raw: undefined })).toString(), `message ${entry.envelope.rcptTo[0]!.slice(7).split('@')[0]}`);
    assert.equal(new Set(entries.map((e) => e.journal!.offset)).size, 200);
  });
});
