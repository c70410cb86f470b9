import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import webpush from 'web-push';
import type { HeraldConfig } from '../shared/config/schema.js';
import { describeError } from '../shared/errors.js';
import { vapidKeys } from '../shared/vapid.js';
import type { PushHeaders } from '../delivery/push/build-push.js';
import type { PushAnswer } from './push-outcome.js';

/**
 * Sends one notification with the `web-push` package: payload encrypted for the subscription
 * (RFC 8291, aes128gcm), VAPID JWT signed with the site's key (RFC 8292), TTL and Urgency headers
 * (RFC 8030): the delivery's when it sets them, else [push]'s. Every answer of the push service is returned, never thrown.
 */
export type PushSend = (subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, json: string, headers?: PushHeaders) => Promise<PushAnswer>;

export function webPushClient(config: HeraldConfig): PushSend {
  const keys = vapidKeys(config.secrets.vapidPrivateKey);
  const agent = config.push.caFile ? new Agent({ ca: readFileSync(config.push.caFile), keepAlive: true }) : new Agent({ keepAlive: true });
  const options = {
    TTL: config.push.ttlSeconds,
    urgency: config.push.urgency,
    timeout: config.push.requestTimeoutMs,
    agent,
    vapidDetails: { subject: config.push.vapidSubject, publicKey: keys.publicKey, privateKey: keys.privateKey },
  };
  return async (subscription, json, headers = {}) => {
    try {
      const res = await webpush.sendNotification(subscription, json, {
        ...options,
        TTL: headers.ttlSeconds ?? options.TTL,
        urgency: headers.urgency ?? options.urgency,
      });
      return { status: res.statusCode, body: String(res.body ?? '').slice(0, 200) };
    } catch (err) {
      if (err instanceof webpush.WebPushError) {
        const retryAfter = Number(err.headers?.['retry-after']);
        return { status: err.statusCode, body: String(err.body ?? '').slice(0, 200), ...(Number.isFinite(retryAfter) ? { retryAfterSec: retryAfter } : {}) };
      }
      return { error: describeError(err) };
    }
  };
}
