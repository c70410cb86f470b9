import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../shared/app-root.js';
import type { HeraldConfig } from '../shared/config/schema.js';
import { HeraldError } from '../shared/errors.js';
import { EXIT } from '../shared/exit-codes.js';
import type { Logger } from '../shared/logger.js';
import type { DkimKey } from './mime/dkim.js';

/**
 * Reads the DKIM private keys named in [[delivery.dkim]] once per process. A missing, unreadable or
 * weak key is a configuration error (exit 78): RSA keys need 2048 bits or more (RFC 8301 allows
 * 1024, Gmail and this project require 2048). Errors name the config entry, never the key.
 */

const MIN_RSA_BITS = 2048;

function keyError(index: number, reason: string): HeraldError {
  return new HeraldError('DKIM_KEY_INVALID', `delivery.dkim[${index}]: ${reason}`, { exitCode: EXIT.CONFIG });
}

function readKey(file: string, index: number): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(fromRoot(file));
  } catch (err) {
    throw keyError(index, `cannot read the key file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw keyError(index, 'the key file does not hold a PEM private key');
  }
}

export function loadDkimKeys(config: HeraldConfig, log?: Logger): DkimKey[] {
  const keys = config.delivery.dkim.map((entry, i): DkimKey => {
    const privateKey = readKey(entry.keyFile, i);
    const type = privateKey.asymmetricKeyType;
    if (entry.algorithm === 'rsa-sha256') {
      if (type !== 'rsa') throw keyError(i, `algorithm rsa-sha256 needs an RSA key, the file holds ${type}`);
      const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) throw keyError(i, `the RSA key has ${bits} bits; use ${MIN_RSA_BITS} or more`);
    } else if (type !== 'ed25519') throw keyError(i, `algorithm ed25519-sha256 needs an Ed25519 key, the file holds ${type}`);
    return { domain: entry.domain.toLowerCase(), selector: entry.selector, algorithm: entry.algorithm, privateKey };
  });
  if (keys.length)
    log?.info('DELIVERY_DKIM_KEYS_LOADED', {
      keys: keys.map((k) => `${k.domain}/${k.selector}/${k.algorithm}/${k.privateKey.asymmetricKeyDetails?.modulusLength ?? 256}`),
    });
  return keys;
}

/** The DNS TXT record publishing a key: `<selector>._domainkey.<domain>` → `v=DKIM1; k=…; p=…`. */
export function dkimDnsRecord(key: DkimKey): { name: string; value: string } {
  const spki = createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' });
  const p = key.algorithm === 'rsa-sha256' ? spki.toString('base64') : spki.subarray(spki.length - 32).toString('base64');
  return { name: `${key.selector}._domainkey.${key.domain}`, value: `v=DKIM1; k=${key.algorithm === 'rsa-sha256' ? 'rsa' : 'ed25519'}; p=${p}` };
}
