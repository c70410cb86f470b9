/**
 * The result of one SMTP transaction, in Herald's terms (pure). A transport returns an Outcome;
 * the classification (type and reason) comes from the bounce rules afterwards.
 */

export type Phase = 'dns' | 'connect' | 'greeting' | 'mail' | 'rcpt' | 'data' | 'session';

export type Outcome =
  | { kind: 'sent'; response: string }
  | {
      kind: 'rejected';
      /** Reply code (421, 450, 550…), absent for network errors. */
      code?: number;
      /** RFC 3463 enhanced status from the reply, e.g. "5.1.1". */
      status?: string;
      text: string;
      phase: Phase;
      /** Worth retrying: 4xx, 421, timeouts, network errors. Never true for a plain 5xx. */
      temporary: boolean;
      /**
       * The domain could not be reached (DNS, connection refused or timed out, greeting refused) or
       * closed the session with a 421 at any stage (RFC 5321: service not available, closing the
       * channel — a server going down or deferring the whole sender, as Postfix reads it): counts
       * against the domain, not the address, and the message itself was not judged.
       */
      sessionFailure: boolean;
    };

const PHASES: Record<string, Phase> = {
  CONN: 'connect',
  EHLO: 'greeting',
  HELO: 'greeting',
  LHLO: 'greeting',
  AUTH: 'greeting',
  STARTTLS: 'greeting',
  'MAIL FROM': 'mail',
  'RCPT TO': 'rcpt',
  DATA: 'data',
  RSET: 'session',
};

export function enhancedStatus(text: string): string | undefined {
  return /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
}

/**
 * Turns a nodemailer SMTP error (responseCode, response, command, code) into an Outcome.
 * `connected`: the session was open when it failed (a timeout then is not a connection failure).
 */
export function outcomeFromError(err: unknown, connected = false): Outcome {
  const e = err as { responseCode?: number; response?: string | false; command?: string; code?: string; message?: string };
  const text = (typeof e.response === 'string' && e.response ? e.response : (e.message ?? String(err))).replace(/\s+/g, ' ').trim().slice(0, 1000);
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // nodemailer names every socket error and timeout "CONN", even in the middle of a session
  const command = connected && e.command === 'CONN' ? '' : (e.command ?? '');
  const phase = PHASES[command] ?? (!connected && (e.code === 'ETIMEDOUT' || e.code === 'ECONNECTION' || e.code === 'ESOCKET') ? 'connect' : 'session');
  const temporary = code === undefined || code < 500;
  const sessionFailure = phase === 'connect' || phase === 'greeting' || code === 421;
  return { kind: 'rejected', code, status: enhancedStatus(text), text, phase, temporary, sessionFailure };
}

export function dnsOutcome(text: string, temporary: boolean): Outcome {
  return { kind: 'rejected', text, phase: 'dns', temporary, sessionFailure: true, status: temporary ? '4.4.3' : '5.1.2' };
}
