import type { Recipient } from '../db/models/index.js';
import { buildMessages } from '../delivery/build-message.js';
import { loadCompiledDelivery, messageRecipient, type SendingDeps } from '../delivery/sending.js';
import type { SendableDelivery } from './sender.js';

/**
 * The MTA's view of a delivery: compiled once (content, tracked links, DKIM keys), then each claimed
 * batch is built in one personalization call (server/delivery/build-message.ts).
 */
export function deliverySource(deps: SendingDeps): (deliveryId: number) => Promise<SendableDelivery> {
  return async (deliveryId) => {
    const compiled = await loadCompiledDelivery(deps, deliveryId);
    return {
      build(items, now) {
        const results = buildMessages(
          compiled,
          items.map(({ message, recipient, event }) => ({
            recipient: messageRecipient(message, recipient && personalization(recipient)),
            log: { id: message.id, address: message.address, emailFormat: message.emailFormat },
            event,
          })),
          now,
        );
        return results.map((r) => (r.ok ? { envelope: r.envelope, raw: r.raw } : { reason: r.reason, error: r.error }));
      },
    };
  };
}

const personalization = (r: Recipient) => ({
  id: r.id,
  email: r.email,
  firstName: r.firstName,
  lastName: r.lastName,
  emailFormat: r.emailFormat,
  fields: r.fields ?? null,
});
