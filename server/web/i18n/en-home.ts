import type { RateKey } from '../reports/home-figures.js';
import type { SetupItemId, SetupState } from '../setup/checklist.js';
import { prefixed } from './keys.js';

/** The console's English text for the home page and the setup checklist. */

const RATES: Record<'sent' | RateKey, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  open: 'Open rate',
  click: 'Click rate',
  bounce: 'Bounce rate',
  complaint: 'Complaint rate',
  unsubscribe: 'Unsubscribe rate',
};

const ITEMS: Record<SetupItemId, string> = {
  smtp: 'SMTP transport',
  bounce_domain: 'Bounce domain and its MX',
  dkim_key: 'DKIM key',
  dkim_record: 'DKIM record published in DNS',
  tracking: 'Tracking URL reachable',
  proof: 'A proof sent',
  admin_password: "The administrator's one-time password changed",
};

const FIXES: Record<SetupItemId, string> = {
  smtp: 'In the site config (config/herald.toml), set transport = "smtp" in [mta], with relayHost (and relayUser, relayPassword) to send through a relay, or leave relayHost empty to send to each domain\'s MX; then herald restart.',
  bounce_domain:
    'Set bounceDomain in [mail] to a domain of yours (e.g. bounce.example.com) and publish an MX record for it pointing at this server, where the inMail module receives bounces on port 25.',
  dkim_key:
    'Create a key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out example.com.pem), readable by the MTA only, and add a [[delivery.dkim]] table with domain, selector, algorithm and keyFile.',
  dkim_record:
    'Publish the TXT record that herald delivery dkim prints at <selector>._domainkey.<domain>. Record found but signatures still failing? Compare it with that output.',
  tracking:
    'Set publicUrl in [tracking] to the address recipients reach the tracking module at (e.g. https://t.example.com) and make sure it answers from outside; herald status shows whether the module runs.',
  proof: 'Open a delivery and send a proof to your own address: it checks content, links and sending end to end.',
  admin_password: 'An administrator still has the one-time password install.sh printed: they choose their own at their next login, or reset it here.',
};

const GO: Record<SetupItemId, string> = {
  smtp: '',
  bounce_domain: '',
  dkim_key: '',
  dkim_record: '',
  tracking: '',
  proof: 'Go to the deliveries',
  admin_password: 'Go to the operator',
};

const STATES: Record<SetupState, string> = { done: 'Done', missing: 'Missing', unknown: 'Not checked' };

export const HOME_MESSAGES = {
  'home.setup': 'Before sending real mail: {count} step(s) left',
  'home.setup_all': 'The whole checklist, with how to fix each step',
  'home.setup_done': 'Every setup step is done (checklist)',
  'home.period': 'Last 30 days ({from} to {to}, {zone})',
  'home.period_note': 'Deliveries count on the day they started in your time zone (set it in Account). Follow a figure’s name for its definition.',
  'home.trend': '{figure} per day from {from} to {to}',
  'home.recent_deliveries': 'Latest deliveries',
  'home.started': 'Started',
  'home.no_deliveries': 'No delivery has started yet.',
  'home.health': 'Queue and modules',
  'home.queue': '{running} running deliveries: {due} messages due now, {later} waiting for a retry',
  ...prefixed('home.rate.', RATES),

  'setup.title': 'Setup checklist',
  'setup.intro': 'What Herald needs before it sends real mail. DNS and the tracking URL are looked at again each time this page opens.',
  ...prefixed('setup.item.', ITEMS),
  ...prefixed('setup.fix.', FIXES),
  ...prefixed('setup.go.', GO),
  ...prefixed('setup.state.', STATES),
  'setup.detail.smtp_relay': 'Sending through the relay {host}.',
  'setup.detail.smtp_direct': "Sending straight to each domain's MX.",
  'setup.detail.transport_capture': 'Messages are written to files (transport "capture"): nothing is sent.',
  'setup.detail.transport_verify': 'Messages are built but not transmitted (transport "verify").',
  'setup.detail.bounce_reserved': '“{domain}” is not a domain the internet can reach.',
  'setup.detail.bounce_no_mx': '{domain} has no MX record.',
  'setup.detail.bounce_mx': '{domain} receives mail at {hosts}.',
  'setup.detail.dns_off': 'DNS is not checked here (web.setupDnsCheck).',
  'setup.detail.dns_error': 'DNS did not answer for {name} ({error}).',
  'setup.detail.dkim_none': 'No DKIM key is configured: mailbox providers require DKIM for bulk mail.',
  'setup.detail.dkim_file': 'The key file of {selector}._domainkey.{domain} does not exist.',
  'setup.detail.dkim_keys': 'Keys for {keys}.',
  'setup.detail.dkim_unpublished': 'No DKIM key record at {name}.',
  'setup.detail.dkim_published': 'Published at {names}.',
  'setup.detail.tracking_local': '{url} names this machine: recipients cannot reach it.',
  'setup.detail.tracking_unchecked': '{url} was not checked.',
  'setup.detail.tracking_ok': '{url} answers.',
  'setup.detail.tracking_down': '{url} does not answer ({error}).',
  'setup.detail.proof_sent': 'A proof was sent.',
  'setup.detail.proof_none': 'No proof has been sent yet.',
  'setup.detail.admin_changed': 'Every administrator chose their own password.',
  'setup.detail.admin_one_time': 'Still on the one-time password: {logins}.',
};
