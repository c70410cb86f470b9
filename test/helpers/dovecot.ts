import { existsSync } from 'node:fs';
import { DOVECOT, startDovecot, type DovecotServer, type DovecotUser } from '../../scripts/bench/dovecot.js';

/**
 * A real Dovecot for the bounce mailbox tests (scripts/bench/dovecot.ts). Where Debian's Dovecot is
 * not installed these tests are skipped with a message, except when HERALD_TEST_REQUIRE_DOVECOT=1
 * (set by .ci/run): then its absence fails them.
 */
export function dovecotAvailable(): boolean {
  if (existsSync(DOVECOT)) return true;
  if (process.env.HERALD_TEST_REQUIRE_DOVECOT === '1')
    throw new Error(`Dovecot is required (HERALD_TEST_REQUIRE_DOVECOT=1) but ${DOVECOT} does not exist: apt-get install dovecot-imapd dovecot-pop3d`);
  return false;
}

export const SKIP_MESSAGE = `Dovecot is not installed (${DOVECOT}): the bounce mailbox tests need Debian's dovecot-imapd and dovecot-pop3d`;

export { startDovecot, type DovecotServer, type DovecotUser };
