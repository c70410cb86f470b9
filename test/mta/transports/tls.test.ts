import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createTransport } from '../../../server/mta/transports/create.js';
import type { Outcome } from '../../../server/mta/smtp-outcome.js';
import { createInstance, type TestInstance } from '../../helpers/instance.js';

/**
 * TLS towards relays and MX hosts, against real TLS SMTP servers on 127.0.0.1 holding a certificate
 * signed by a throw-away CA made by the test (openssl): a relay that takes a password and `tls =
 * "required"` verify the certificate (refused without the CA, accepted with `mta.tlsCaFile`), a
 * route may relax it, implicit TLS (port 465) works, and a password never travels in clear.
 */

interface TlsServer {
  port: number;
  received: string[];
  /** Logins the server saw, and whether each came over TLS. */
  logins: Array<{ user: string; secure: boolean }>;
  close(): Promise<void>;
}

function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Herald test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=relay.test']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: join(dir, 'ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

async function startTlsServer(certs: { key: string; cert: string }, options: { implicit?: boolean; starttls?: boolean } = {}): Promise<TlsServer> {
  const state: TlsServer = { port: 0, received: [], logins: [], close: async () => undefined };
  const server = new SMTPServer({
    secure: options.implicit === true,
    key: certs.key,
    cert: certs.cert,
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: options.starttls === false ? ['STARTTLS'] : [],
    onAuth(auth, session, cb) {
      state.logins.push({ user: auth.username ?? '', secure: session.secure });
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        state.received.push(session.envelope.rcptTo.map((r) => r.address).join(','));
        cb(null);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

describe('MTA TLS towards relays and MX hosts', function () {
  this.timeout(60_000);
  let dir: string;
  let certs: ReturnType<typeof makeCertificates>;
  let starttls: TlsServer;
  let implicit: TlsServer;
  let plain: TlsServer;
  const instances: TestInstance[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-tls-'));
    certs = makeCertificates(dir);
    starttls = await startTlsServer(certs);
    implicit = await startTlsServer(certs, { implicit: true });
    plain = await startTlsServer(certs, { starttls: false });
  });
  after(async () => {
    await Promise.all([starttls.close(), implicit.close(), plain.close()]);
    for (const i of instances) i.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends one message through the transport and resolver the config makes, to a domain. */
  async function sendWith(mta: string, domain = 'example.net'): Promise<Outcome> {
    const instance = createInstance(`[mta]\ntransport = "smtp"\nconnectTimeoutMs = 3000\ngreetingTimeoutMs = 3000\nsocketTimeoutMs = 3000\n${mta}`);
    instances.push(instance);
    const { transport, resolve } = createTransport(instance.config, instance.paths);
    try {
      const destination = await resolve(domain);
      const raw = Buffer.from(`From: news@example.org\r\nTo: ann@${domain}\r\nSubject: hi\r\n\r\nhello\r\n`);
      return await transport.send({ broadLogId: 1, deliveryId: 1, envelope: { from: 'b@bounce.example.org', to: `ann@${domain}` }, raw }, destination, {
        key: `domain:${domain}`,
        maxConnections: 1,
        maxMessagesPerConnection: 10,
      });
    } finally {
      await transport.close();
    }
  }
  const relay = (server: TlsServer, extra = '') =>
    `relayHost = "127.0.0.1"\nrelayPort = ${server.port}\nrelayUser = "herald"\nrelayPassword = "relay-secret-0123456789"\n${extra}`;

  it('refuses a relay with a password whose certificate it cannot verify, and never sends the password', async () => {
    const before = starttls.logins.length;
    const outcome = await sendWith(relay(starttls));
    assert.equal(outcome.kind, 'rejected');
    assert.match(outcome.kind === 'rejected' ? outcome.text : '', /certificate/i);
    assert.equal(outcome.kind === 'rejected' && outcome.temporary, true, 'retried later, not failed');
    assert.equal(starttls.logins.length, before, 'no login reached the server');
  });

  it('accepts the relay once its CA is configured, and logs in over TLS only', async () => {
    const outcome = await sendWith(relay(starttls, `tlsCaFile = ${JSON.stringify(certs.ca)}`));
    assert.equal(outcome.kind, 'sent', JSON.stringify(outcome));
    assert.deepEqual(starttls.logins.at(-1), { user: 'herald', secure: true });
  });

  it('speaks implicit TLS to a port-465 relay: refused unverified, accepted with the CA', async () => {
    const refused = await sendWith(relay(implicit, 'relayImplicitTls = true'));
    assert.equal(refused.kind, 'rejected');
    const sent = await sendWith(relay(implicit, `relayImplicitTls = true\ntlsCaFile = ${JSON.stringify(certs.ca)}`));
    assert.equal(sent.kind, 'sent', JSON.stringify(sent));
    assert.deepEqual(implicit.logins.at(-1), { user: 'herald', secure: true });
  });

  it('never sends a relay password to a server that does not offer STARTTLS', async () => {
    const outcome = await sendWith(relay(plain, `tlsCaFile = ${JSON.stringify(certs.ca)}`));
    assert.equal(outcome.kind, 'rejected');
    assert.deepEqual(plain.logins, [], 'the password stayed here');
    assert.deepEqual(plain.received, []);
  });

  // Servers start in before(): the cases name them, the routes are written when a case runs.
  const route = (server: 'starttls' | 'plain', extra = '') => `[[mta.routes]]\ndomain = "example.net"\nhosts = ["127.0.0.1:<${server}>"]\n${extra}`;
  const cases: Array<{ case: string; mta: string; sent: boolean }> = [
    { case: 'tls = "required" verifies the MX certificate: refused without the CA', mta: `tls = "required"\n${route('starttls')}`, sent: false },
    {
      case: 'tls = "required" with the CA configured: accepted',
      mta: `tls = "required"\ntlsCaFile = "<CA>"\n${route('starttls')}`,
      sent: true,
    },
    { case: 'a route may relax the verification (tlsVerify = false)', mta: `tls = "required"\n${route('starttls', 'tlsVerify = false')}`, sent: true },
    { case: 'a route may require TLS on its own (tls = "required")', mta: `tls = "opportunistic"\n${route('plain', 'tls = "required"')}`, sent: false },
    {
      case: 'opportunistic STARTTLS to an MX does not verify (as MX-to-MX TLS without MTA-STS)',
      mta: `tls = "opportunistic"\n${route('starttls')}`,
      sent: true,
    },
  ];
  for (const c of cases) {
    it(c.case, async () => {
      const mta = c.mta.replace('<CA>', certs.ca).replace('<starttls>', String(starttls.port)).replace('<plain>', String(plain.port));
      const outcome = await sendWith(mta);
      assert.equal(outcome.kind, c.sent ? 'sent' : 'rejected', JSON.stringify(outcome));
    });
  }
});
