import type { ReceiptStatus } from '../shared/glossary.js';
import { checkPhoneNumber } from '../shared/phone-number.js';
import type { InboundPdu } from './smpp-connector.js';

/**
 * What a deliver_sm says (pure): a delivery receipt (the message id it is about and its final
 * state, from the receipted_message_id / message_state TLVs or the SMPP 3.4 appendix B text
 * `id:… stat:DELIVRD err:…`), or a mobile-originated reply, with the STOP word it starts with.
 */

export type Inbound =
  | { kind: 'receipt'; connector: string; messageId: string; status: ReceiptStatus | undefined; text: string }
  | { kind: 'reply'; connector: string; source: string; destination: string; text: string; keyword: string | null };

/** esm_class message type bits (§5.2.12): 0x04 SMSC delivery receipt, 0x20 intermediate notification. */
const RECEIPT_TYPES = new Set([0x04, 0x08, 0x10, 0x20]);

/** Final states of the appendix B text (`stat:`); ENROUTE and ACCEPTD are not final. */
const STAT: Record<string, ReceiptStatus | undefined> = {
  DELIVRD: 'delivered',
  UNDELIV: 'undeliverable',
  EXPIRED: 'expired',
  REJECTD: 'rejected',
  DELETED: 'deleted',
  UNKNOWN: 'unknown',
};

/** message_state TLV values (§5.2.28). */
const STATE: Record<number, ReceiptStatus | undefined> = { 2: 'delivered', 3: 'expired', 4: 'deleted', 5: 'undeliverable', 7: 'unknown', 8: 'rejected' };

/** A word compared without case nor accents (ARRÊT is ARRET). */
export const foldWord = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();

/** The number a reply came from, in E.164 when it can be read as one (an international TON, or the default country). */
export function replyNumber(source: string, ton: number, defaultCountry: string): string {
  const digits = source.replace(/^\+/, '');
  if (/^\d{8,15}$/.test(digits) && (ton === 1 || source.startsWith('+'))) return `+${digits}`;
  const checked = checkPhoneNumber(source, 'fax', defaultCountry || undefined);
  return checked.ok ? checked.e164 : source;
}

export function readInbound(pdu: InboundPdu, stopWords: readonly string[], defaultCountry: string): Inbound {
  if (RECEIPT_TYPES.has(pdu.esmClass & 0x3c)) {
    const id = pdu.receiptedMessageId ?? /\bid:(\S+)/i.exec(pdu.text)?.[1] ?? '';
    const stat = /\bstat:(\w+)/i.exec(pdu.text)?.[1]?.toUpperCase();
    const status = pdu.messageState !== undefined ? STATE[pdu.messageState] : stat ? STAT[stat] : undefined;
    return { kind: 'receipt', connector: pdu.connector, messageId: id, status, text: pdu.text.slice(0, 1000) };
  }
  const first = pdu.text.trim().split(/\s+/)[0] ?? '';
  const folded = foldWord(first.replace(/[.!,;:]+$/, ''));
  const keyword = stopWords.find((w) => foldWord(w) === folded) ?? null;
  return {
    kind: 'reply',
    connector: pdu.connector,
    source: replyNumber(pdu.source, pdu.sourceTon, defaultCountry),
    destination: pdu.destination,
    text: pdu.text,
    keyword: keyword && foldWord(keyword),
  };
}
