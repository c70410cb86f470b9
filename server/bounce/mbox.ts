/**
 * The messages of a file. A file saved from a mailbox in mbox format (each message after a
 * `From <sender> <date>` separator line, as `From MAILER-DAEMON  Thu Jul  2 12:05:05 2020`) may
 * hold several bounces, which a bounce mailbox would hand over one by one; any other file is one
 * message. Only a separator with its full asctime date counts, so a body line that happens to
 * start with "From " does not split a message. Pure; used by `herald bounce classify` and the
 * accuracy benchmark.
 */
const SEPARATOR = /^From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d\d:\d\d:\d\d \d{4}\r?$/m;

/** True when `raw` opens with an mbox separator line. */
export function isMbox(raw: Buffer): boolean {
  const head = raw.subarray(0, 512).toString('latin1');
  return SEPARATOR.test(head.slice(0, head.indexOf('\n') + 1 || head.length));
}

export function messagesOf(raw: Buffer): Buffer[] {
  if (!isMbox(raw)) return [raw];
  const text = raw.toString('latin1');
  const starts = [...text.matchAll(new RegExp(SEPARATOR.source, 'gm'))].map((m) => m.index);
  return starts.map((start, i) => raw.subarray(start, starts[i + 1] ?? raw.length));
}
