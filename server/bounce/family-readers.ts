import { findStatus } from './smtp-reply.js';
import type { BounceRecipient } from './types.js';

/**
 * Report shapes of particular families, read after the generic RFC 3464 and text readers: what
 * a family's report says that the generic reading gets wrong. Each reader receives the generic
 * recipients and the report text and returns the recipients corrected. Pure.
 */

type Reader = (recipients: BounceRecipient[], report: string) => BounceRecipient[];

/** Amazon SES and WorkMail wrap the remote server's last reply in <…> after their own summary
 * (`554 4.4.7 Message expired: … <421 4.4.2 Connection timed out>`): that reply says what happened. */
const amazon: Reader = (recipients) =>
  recipients.map((r) => {
    const inner = /<(\d{3}[ -]\d\.\d{1,3}\.\d{1,3}[^<>]*)>\s*$/.exec(r.text);
    const status = inner ? findStatus(inner[1]!) : undefined;
    return status ? { ...r, status } : r;
  });

/** fml refuses a post to a list from a non-member: the failed recipient is the list, named in the report. */
const fml: Reader = (recipients, report) => {
  const list = /not a member of this mailing list <([^<>\s]+@[^<>\s]+)>/i.exec(report)?.[1]?.toLowerCase();
  return list && recipients.length === 1 ? [{ ...recipients[0]!, address: list }] : recipients;
};

const READERS: Record<string, Reader> = { amazon, fml };

/** The recipients as the reporting family means them (unchanged for a family without a reader). */
export function readAsFamily(family: string | undefined, recipients: BounceRecipient[], report: string): BounceRecipient[] {
  const reader = family ? READERS[family] : undefined;
  return reader ? reader(recipients, report) : recipients;
}
