/**
 * How the MTA secures each SMTP connection (pure): STARTTLS opportunistic, required or disabled,
 * implicit TLS (SMTPS), and whether the server certificate is verified. Verification is on where it
 * protects something: towards a relay that takes a password (which is then never sent without TLS),
 * over implicit TLS, and wherever TLS is required; `mta.tlsVerify = false` or a route's `tlsVerify =
 * false` relaxes it. Opportunistic STARTTLS to MX hosts is encryption without authentication, as
 * between MTAs without MTA-STS (RFC 8461) or DANE (RFC 7672) — the next step, see README.md.
 */

export type TlsMode = 'opportunistic' | 'required' | 'disabled';

export interface ConnectionSecurity {
  tls: TlsMode;
  /** TLS from the first byte (SMTPS, port 465). */
  implicit: boolean;
  /** Verify the certificate chain and host name; refuse the connection otherwise. */
  verify: boolean;
  /** Relay login, only ever sent over TLS. */
  auth?: { user: string; pass: string };
}

export interface SecuritySettings {
  tls: TlsMode;
  tlsVerify: boolean;
  relayUser: string;
  relayPassword: string;
  relayImplicitTls: boolean;
}

/** The relay: a password means TLS is required (STARTTLS or implicit) and the certificate verified. */
export function relaySecurity(s: SecuritySettings): ConnectionSecurity {
  const auth = s.relayUser ? { user: s.relayUser, pass: s.relayPassword } : undefined;
  const tls: TlsMode = s.relayImplicitTls || auth ? 'required' : s.tls;
  return { tls, implicit: s.relayImplicitTls, verify: s.tlsVerify && tls === 'required', ...(auth ? { auth } : {}) };
}

/** A static route: its own TLS mode (else the global one), verified when required unless the route relaxes it. */
export function routeSecurity(s: SecuritySettings, route: { tls: TlsMode | ''; tlsVerify: boolean }): ConnectionSecurity {
  const tls = route.tls || s.tls;
  return { tls, implicit: false, verify: s.tlsVerify && route.tlsVerify && tls === 'required' };
}

/** The recipients' MX hosts. */
export function mxSecurity(s: SecuritySettings): ConnectionSecurity {
  return { tls: s.tls, implicit: false, verify: s.tlsVerify && s.tls === 'required' };
}
