import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A web push service for tests, written with node:crypto only: an HTTPS server on 127.0.0.1:0 (a
 * throw-away self-signed certificate made with openssl, whose file the sender is told to trust)
 * that accepts a notification only with a valid VAPID ES256 JWT (RFC 8292) and decrypts its
 * aes128gcm payload with the subscription's private key and auth secret (RFC 8291 / RFC 8188).
 * `browser(name)` makes a subscription as a browser would (P-256 key pair, 16-octet auth secret);
 * endpoints named in `gone` answer 410.
 */

export interface ReceivedPush {
  name: string;
  payload: unknown;
  ttl: string | undefined;
  urgency: string | undefined;
  jwt: { aud: string; exp: number; sub: string };
  vapidKey: string;
}

export interface Browser {
  name: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushEndpoint {
  origin: string;
  caFile: string;
  received: ReceivedPush[];
  /** Requests refused, with why (a bad JWT, a payload that does not decrypt). */
  refused: string[];
  gone: Set<string>;
  browser(name: string): Browser;
  close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'base64url');

/** Verifies `vapid t=<jwt>, k=<key>` and returns its claims, or throws why not. */
function checkVapid(header: string | undefined, origin: string): { claims: ReceivedPush['jwt']; key: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`no vapid authorization: ${header}`);
  const [h, p, sig] = m[1]!.split('.');
  const head = JSON.parse(b64(h!).toString()) as { alg: string; typ: string };
  if (head.alg !== 'ES256') throw new Error(`alg ${head.alg}`);
  const point = b64(m[2]!);
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is no uncompressed P-256 point');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, b64(sig!))) throw new Error('bad JWT signature');
  const claims = JSON.parse(b64(p!).toString()) as ReceivedPush['jwt'];
  const now = Date.now() / 1000;
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud}`);
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) throw new Error(`exp ${claims.exp}`);
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
  return { claims, key: m[2]! };
}

/** RFC 8291 + RFC 8188 (one record): the plaintext, or throws. */
function decrypt(body: Buffer, ua: { privateKey: Buffer; publicKey: Buffer; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(ua.privateKey);
  const secret = ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.publicKey, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, ua.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-push-'));
  const [keyFile, caFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const browsers = new Map<string, { privateKey: Buffer; publicKey: Buffer; auth: Buffer }>();
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const gone = new Set<string>();
  let origin = '';
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = decodeURIComponent((req.url ?? '').replace(/^\/push\//, ''));
      const ua = browsers.get(name);
      try {
        if (req.method !== 'POST' || !ua) throw new Error(`unknown subscription ${req.url}`);
        const { claims, key } = checkVapid(req.headers.authorization, origin);
        if (gone.has(name)) {
          res.writeHead(410).end('subscription expired');
          return;
        }
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const payload = JSON.parse(decrypt(Buffer.concat(chunks), ua).toString('utf8')) as unknown;
        received.push({
          name,
          payload,
          ttl: req.headers.ttl as string | undefined,
          urgency: req.headers.urgency as string | undefined,
          jwt: claims,
          vapidKey: key,
        });
        res.writeHead(201, { Location: `/message/${received.length}` }).end();
      } catch (err) {
        refused.push(`${name}: ${(err as Error).message}`);
        res.writeHead(400).end((err as Error).message);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    caFile,
    received,
    refused,
    gone,
    browser(name) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const ua = { privateKey: ecdh.getPrivateKey(), publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
      browsers.set(name, ua);
      return {
        name,
        endpoint: `${origin}/push/${encodeURIComponent(name)}`,
        keys: { p256dh: ua.publicKey.toString('base64url'), auth: ua.auth.toString('base64url') },
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
