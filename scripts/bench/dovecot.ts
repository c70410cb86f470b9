import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/**
 * A throw-away Dovecot (Debian's dovecot-imapd and dovecot-pop3d) for the bounce mailbox tests and
 * benchmark: its own config, users, self-signed certificate and Maildirs in a temp folder, IMAP,
 * IMAPS, POP3 and POP3S on free loopback ports, run in the foreground as a child process and
 * stopped with it. As root, mail belongs to `nobody`; otherwise every Dovecot process runs as the
 * current user.
 */

export const DOVECOT = process.env.HERALD_TEST_DOVECOT ?? '/usr/sbin/dovecot';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface DovecotServer {
  dir: string;
  ports: { imap: number; imaps: number; pop3: number; pop3s: number };
  /** The server's self-signed certificate (the CA to trust). */
  caFile: string;
  users: DovecotUser[];
  /** Delivers messages into a user's INBOX as a local delivery agent would (Maildir new/). */
  deliver(user: string, messages: readonly Buffer[]): void;
  log(): string;
  stop(): Promise<void>;
}

let sequence = 0;

function mailOwner(): { uid: number; gid: number; settings: string } {
  const me = userInfo();
  if (me.uid === 0) return { uid: 65534, gid: 65534, settings: 'first_valid_uid = 1\nfirst_valid_gid = 1\n' };
  return {
    uid: me.uid,
    gid: me.gid,
    settings: [
      `default_internal_user = ${me.username}`,
      `default_login_user = ${me.username}`,
      `default_internal_group = ${me.gid}`,
      `first_valid_uid = ${me.uid}`,
      `first_valid_gid = ${me.gid}`,
      '',
    ].join('\n'),
  };
}

function config(dir: string, ports: DovecotServer['ports'], owner: ReturnType<typeof mailOwner>): string {
  const listener = (name: string, port: number, ssl: boolean) =>
    `  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n    ssl = ${ssl ? 'yes' : 'no'}\n  }`;
  const nonRoot = userInfo().uid !== 0;
  const chroot = nonRoot ? '  chroot =\n' : '';
  return `# Written by Herald's test harness.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap pop3
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
${owner.settings}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u
}
service imap-login {
${chroot}${listener('imap', ports.imap, false)}
${listener('imaps', ports.imaps, true)}
}
service pop3-login {
${chroot}${listener('pop3', ports.pop3, false)}
${listener('pop3s', ports.pop3s, true)}
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
protocol pop3 {
  mail_max_userip_connections = 200
}
`;
}

function certificate(dir: string): void {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`openssl could not make the test certificate: ${r.stderr?.toString() ?? r.error?.message}`);
}

async function listening(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not listen on 127.0.0.1:${port}`);
    await sleep(50);
  }
}

export async function startDovecot(users: DovecotUser[] = [{ user: 'bounces', password: 'bounce-mailbox-test-password' }]): Promise<DovecotServer> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing (apt-get install dovecot-imapd dovecot-pop3d)`);
  const dir = mkdtempSync(join(tmpdir(), 'herald-dovecot-'));
  const owner = mailOwner();
  const ports = { imap: await freePort(), imaps: await freePort(), pop3: await freePort(), pop3s: await freePort() };
  let child: ChildProcess | undefined;
  try {
    // Dovecot's own users (dovecot, dovenull, the mail owner) read the config, users file and Maildirs.
    chmodSync(dir, 0o755);
    certificate(dir);
    mkdirSync(join(dir, 'home'), { mode: 0o755 });
    for (const { user } of users) {
      for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, 'home', user, 'Maildir', sub), { recursive: true, mode: 0o700 });
      for (const path of [
        join(dir, 'home', user),
        join(dir, 'home', user, 'Maildir'),
        ...['cur', 'new', 'tmp'].map((s) => join(dir, 'home', user, 'Maildir', s)),
      ])
        chownSync(path, owner.uid, owner.gid);
    }
    writeFileSync(join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}`).join('\n') + '\n', { mode: 0o644 });
    writeFileSync(join(dir, 'dovecot.conf'), config(dir, ports, owner));
    child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`dovecot exited with ${code}: ${stderr}`);
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + 15_000;
    await Promise.race([Promise.all(Object.values(ports).map((p) => listening(p, deadline))), exited]);
  } catch (err) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const running = child;
  return {
    dir,
    ports,
    caFile: join(dir, 'cert.pem'),
    users,
    deliver(user, messages) {
      const folder = join(dir, 'home', user, 'Maildir');
      for (const raw of messages) {
        const name = `${Date.now()}.M${process.pid}P${++sequence}.herald-test`;
        writeFileSync(join(folder, 'tmp', name), raw);
        chownSync(join(folder, 'tmp', name), owner.uid, owner.gid);
        renameSync(join(folder, 'tmp', name), join(folder, 'new', name));
      }
    },
    log: () => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : ''),
    async stop() {
      if (running.exitCode === null && running.signalCode === null) {
        const done = once(running, 'exit');
        running.kill('SIGTERM');
        await Promise.race([done, sleep(10_000).then(() => running.kill('SIGKILL'))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
