/**
 * What an SMSC's answer to a submit_sm means for the message (pure): accepted with its message id;
 * throttled (slow down and send it again: never a failure); rejected for good or for now, with the
 * failure it is recorded as; or not connected (sent again later, failure reason "Not connected").
 */

/** SMPP 3.4 command_status values Herald tells apart (§5.1.3). */
export const ESME = {
  ROK: 0x00,
  RINVMSGLEN: 0x01,
  RSYSERR: 0x08,
  RINVSRCADR: 0x0a,
  RINVDSTADR: 0x0b,
  RMSGQFUL: 0x14,
  RSUBMITFAIL: 0x45,
  RINVDSTTON: 0x50,
  RINVDSTNPI: 0x51,
  RTHROTTLED: 0x58,
  RX_T_APPN: 0x64,
  RX_P_APPN: 0x65,
  RX_R_APPN: 0x66,
} as const;

export type SubmitResult =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'throttled'; status: number }
  | { kind: 'rejected'; status: number; text: string; temporary: boolean; invalidNumber: boolean }
  | { kind: 'not_connected'; text: string };

const hex = (status: number) => `0x${status.toString(16).padStart(8, '0')}`;

/** Statuses that say the destination number is wrong: the message fails hard and the number is quarantined. */
const INVALID_NUMBER = new Set<number>([ESME.RINVDSTADR, ESME.RINVDSTTON, ESME.RINVDSTNPI]);
/** Statuses worth another try later (the SMSC's own trouble). */
const TEMPORARY = new Set<number>([ESME.RSYSERR, ESME.RSUBMITFAIL, ESME.RX_T_APPN]);

export function submitOutcome(status: number, messageId: string): SubmitResult {
  if (status === ESME.ROK)
    return messageId
      ? { kind: 'accepted', messageId }
      : { kind: 'rejected', status, text: 'submit_sm_resp without a message id', temporary: true, invalidNumber: false };
  if (status === ESME.RTHROTTLED || status === ESME.RMSGQFUL) return { kind: 'throttled', status };
  const invalidNumber = INVALID_NUMBER.has(status);
  return { kind: 'rejected', status, text: `submit_sm refused with status ${hex(status)}`, temporary: TEMPORARY.has(status), invalidNumber };
}
