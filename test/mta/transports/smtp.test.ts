import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { groupBy } from '../../../server/shared/group-by.js';
import { SmtpTransport, type SmtpOptions } from '../../../server/mta/transports/smtp.js';
import type { Destination, OutboundMessage } from '../../../server/mta/transports/types.js';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server.js';

const OPTIONS: SmtpOptions = {
  heloName: 'mta.test',
  connectTimeoutMs: 2000,
  greetingTimeoutMs: 2000,
  socketTimeoutMs: 2000,
  idleMs: 500,
};
const message = (n: number, to = `user${n}@example.test`): OutboundMessage => ({
  broadLogId: n,
  deliveryId: 1,
  envelope: { from: 'bounce+x@bounce.test', to },
  raw: Buffer.from(`From: a@example.org\r\nTo: ${to}\r\nSubject: m${n}\r\n\r\nbody ${n}\r\n`),
});
const to = (...servers: Array<TestSmtpServer | number>): Destination => ({
  domain: 'example.test',
  hosts: servers.map((s) => ({ host: '127.0.0.1', port: typeof s === 'number' ? s : s.port })),
  mxNames: [],
});
const limits = (maxConnections = 2, maxMessagesPerConnection = 100) => ({ key: 'domain:example.test', maxConnections, maxMessagesPerConnection });

describe('SMTP transport', () => {
  const servers: TestSmtpServer[] = [];
  const start = async (...args: Parameters<typeof startSmtpServer>) => {
    const s = await startSmtpServer(...args);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('reuses sessions up to the per-connection limit and never opens more than the connection limit', async () => {
    const mx = await start();
    // idle sessions stay open longer than a loaded machine may pause between two messages
    const transport = new SmtpTransport({ ...OPTIONS, idleMs: 30_000 });
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => transport.send(message(i), to(mx), limits(2, 3))));
    await transport.close();
    assert.ok(outcomes.every((o) => o.kind === 'sent'));
    assert.equal(mx.received.length, 12);
    assert.ok(mx.maxConcurrent <= 2, `at most 2 sessions at once, saw ${mx.maxConcurrent}`);
    // Each session carries at most 3 messages and is closed at the third. Only the sessions still open
    // when the last message went out may carry fewer: at most 2 (the connection limit). Whether the last
    // messages wait for a busy session or open a new one within the limit depends on which finishes
    // first, so 12 messages take 4 or 5 sessions.
    const perSession = [...groupBy(mx.received, (r) => r.session).values()].map((rs) => rs.length);
    assert.equal(perSession.length, mx.connections, 'every session carried a message');
    assert.ok(
      perSession.every((n) => n <= 3),
      `at most 3 messages per session: ${perSession}`,
    );
    assert.ok(perSession.filter((n) => n < 3).length <= 2, `sessions closed before their third message: ${perSession}`);
    assert.ok(mx.connections >= 4 && mx.connections <= 5, `12 messages at 3 per session, saw ${mx.connections} sessions`);
  });

  const refusals: Array<{
    case: string;
    behaviour: Parameters<typeof startSmtpServer>[0];
    code: number;
    status?: string;
    phase: string;
    temporary: boolean;
    session: boolean;
  }> = [
    {
      case: 'a 550 5.1.1 at RCPT',
      behaviour: { rcpt: () => ({ code: 550, message: '5.1.1 User unknown' }) },
      code: 550,
      status: '5.1.1',
      phase: 'rcpt',
      temporary: false,
      session: false,
    },
    {
      case: 'a 452 4.2.2 at RCPT',
      behaviour: { rcpt: () => ({ code: 452, message: '4.2.2 Mailbox full' }) },
      code: 452,
      status: '4.2.2',
      phase: 'rcpt',
      temporary: true,
      session: false,
    },
    {
      case: 'a 554 at DATA',
      behaviour: { data: () => ({ code: 554, message: '5.7.1 Message rejected as spam' }) },
      code: 554,
      status: '5.7.1',
      phase: 'data',
      temporary: false,
      session: false,
    },
    { case: 'a 421 greeting', behaviour: { greeting421: true }, code: 421, phase: 'connect', temporary: true, session: true },
  ];
  for (const r of refusals) {
    it(`reports ${r.case} with its code, enhanced status, phase and whether to retry`, async () => {
      const mx = await start(r.behaviour);
      const transport = new SmtpTransport(OPTIONS);
      const outcome = await transport.send(message(1), to(mx), limits());
      await transport.close();
      assert.equal(outcome.kind, 'rejected');
      if (outcome.kind !== 'rejected') return;
      assert.equal(outcome.code, r.code);
      if (r.status) assert.equal(outcome.status, r.status);
      assert.equal(outcome.phase, r.phase === 'connect' && outcome.phase === 'greeting' ? 'greeting' : r.phase);
      assert.equal(outcome.temporary, r.temporary);
      assert.equal(outcome.sessionFailure, r.session);
    });
  }

  it('keeps a session open after a recipient is refused and sends the next message on it', async () => {
    const mx = await start({ rcpt: (a) => (a.startsWith('nobody') ? { code: 550, message: '5.1.1 No such user' } : undefined) });
    const transport = new SmtpTransport(OPTIONS);
    const first = await transport.send(message(1, 'nobody@example.test'), to(mx), limits(1));
    const second = await transport.send(message(2), to(mx), limits(1));
    await transport.close();
    assert.equal(first.kind, 'rejected');
    assert.equal(second.kind, 'sent');
    assert.equal(mx.connections, 1);
  });

  it('falls back to the next MX when the first refuses the connection', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mx = await start();
    const transport = new SmtpTransport(OPTIONS);
    const outcome = await transport.send(message(1), to(deadPort, mx), limits());
    await transport.close();
    assert.equal(outcome.kind, 'sent');
    assert.equal(mx.received.length, 1);
  });

  it('gives up on a server that does not answer DATA in time, as a temporary failure', async () => {
    const mx = await start({ dataDelayMs: 3000 });
    const transport = new SmtpTransport({ ...OPTIONS, socketTimeoutMs: 500 });
    const outcome = await transport.send(message(1), to(mx), limits());
    await transport.close();
    assert.equal(outcome.kind, 'rejected');
    assert.equal(outcome.kind === 'rejected' && outcome.temporary, true);
  });

  it('returns a temporary session failure when no host can be reached', async () => {
    const transport = new SmtpTransport({ ...OPTIONS, connectTimeoutMs: 300 });
    const outcome = await transport.send(message(1), to(1), limits());
    await transport.close();
    assert.equal(outcome.kind, 'rejected');
    if (outcome.kind === 'rejected') {
      assert.equal(outcome.temporary, true);
      assert.equal(outcome.sessionFailure, true);
      assert.equal(outcome.code, undefined);
    }
  });
});
