import { createECDH } from 'node:crypto';
import { ConfigError } from './errors.js';

/**
 * The VAPID key pair of web push (RFC 8292) from `secrets.vapidPrivateKey` (generated at install):
 * the public key, derived from the private one, is what browsers subscribe with.
 */
export interface VapidKeys {
  /** Uncompressed P-256 point, 65 octets, base64url. */
  publicKey: string;
  /** 32 octets, base64url. */
  privateKey: string;
}

export function vapidKeys(privateKey: string | undefined, file = 'site config'): VapidKeys {
  if (!privateKey) throw new ConfigError(file, 'secrets.vapidPrivateKey', 'web push needs a VAPID key: run `herald config init` to generate it');
  const raw = Buffer.from(privateKey, 'base64url');
  if (raw.length !== 32) throw new ConfigError(file, 'secrets.vapidPrivateKey', 'a P-256 private key of 32 octets in base64url is expected');
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(raw);
  } catch {
    throw new ConfigError(file, 'secrets.vapidPrivateKey', 'not a valid P-256 private key');
  }
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey };
}
