/**
 * What each report figure means, in plain words, and how it is computed (Adobe Campaign's formulas
 * where Herald follows them). Keys: `definition.<id>.text` and `definition.<id>.formula`.
 */
const DEFINITIONS = {
  target: [
    'Recipients the delivery’s target selected, before any exclusion.',
    'Recipients matching the target (every recipient, a service’s subscribers or a list’s members) and its filter.',
  ],
  excluded: [
    'Recipients set aside by the analysis: on the denylist, in quarantine, without a valid address, duplicates, or over the delivery’s limit.',
    'Target − To deliver. The rate is Excluded ÷ Target.',
  ],
  to_deliver: ['Messages the delivery has to send once the exclusions are made.', 'Target − Excluded.'],
  processed: [
    'Messages the MTA has dealt with so far, whatever the outcome. On the home page “Sent” counts these.',
    'Sent + Failed. The rate is Processed ÷ To deliver.',
  ],
  sent: [
    'Messages the receiving mail server accepted (Adobe’s “Success” or “Delivered”). A bounce that comes back later moves its message from Sent to Failed.',
    'Messages in status Sent. The rate is Sent ÷ To deliver.',
  ],
  failed: [
    'Messages that could not be delivered: refused by the receiving server, bounced later, or still failing when the delivery’s validity ended.',
    'Messages in status Failed. The rate is Failed ÷ To deliver.',
  ],
  pending: ['Messages still waiting to be sent, or to be tried again after a temporary failure.', 'To deliver − Processed while the delivery runs.'],
  new_quarantines: [
    'Addresses this delivery put in quarantine or on the denylist (hard bounces, repeated soft bounces, complaints).',
    'Addresses whose quarantine was started by this delivery.',
  ],
  sms_delivered: [
    'SMS whose delivery receipt says they reached the handset.',
    'Messages with the receipt status Delivered. The rate is Received on mobile ÷ Processed.',
  ],
  sms_undeliverable: [
    'SMS whose delivery receipt says the number cannot receive them; the message fails and the number is quarantined for SMS.',
    'Messages with the receipt status Undeliverable. The rate is Undeliverable ÷ Processed.',
  ],
  sms_expired: [
    'SMS the operator could not deliver before they expired (the handset stayed off or out of reach); the message fails and counts an error for the number.',
    'Messages with the receipt status Expired. The rate is Expired ÷ Processed.',
  ],
  sms_segments: [
    'Segments the SMS took: operators bill per segment. A text longer than one segment (160 GSM-7 or 70 UCS-2 characters) is split into parts of 153 or 67.',
    'Sum of the segments of the messages sent or failed after sending.',
  ],
  sms_no_receipt: [
    'SMS sent for which the operator has not returned a delivery receipt yet (some networks never send one).',
    'Messages sent, or failed after sending, without a receipt status. The rate is No receipt yet ÷ Processed.',
  ],
  sms_stop_replies: [
    'Numbers this delivery reached that answered with a STOP word: they are unsubscribed from SMS and denylisted for the channel.',
    'Distinct numbers with a STOP reply received after this delivery’s message was sent to them, up to 7 days after the delivery ended. The rate is STOP replies ÷ Sent.',
  ],
  sms_other_replies: [
    'Numbers this delivery reached that answered something other than a STOP word: their replies wait for review.',
    'Distinct numbers with another reply received in the same window. The rate is Other replies ÷ Sent.',
  ],
  push_expired: [
    'Browser subscriptions the push service said no longer exist (404 or 410): the message fails and the subscription is never used again.',
    'Messages failed with the reason User unknown, each of which expired its subscription. The rate is Expired subscriptions removed ÷ To deliver.',
  ],
  routed_delivered: [
    'Letters or faxes the provider’s return files say were delivered.',
    'Messages with the return status Delivered. The rate is Delivered by the provider ÷ Processed.',
  ],
  routed_returned: [
    'Letters the provider’s return files say came back undelivered; the message fails and counts an error for the address.',
    'Messages with the return status Returned. The rate is Returned ÷ Processed.',
  ],
  routed_bad_address: [
    'Letters or faxes the provider says went to a wrong address; the message fails and the address is quarantined for this channel.',
    'Messages with the return status Bad address. The rate is Bad address ÷ Processed.',
  ],
  routing_cost: [
    'What the provider charges for this delivery: a cost per message and a cost per delivery, set per channel in the configuration.',
    'Messages written to extraction files × cost per message, plus the cost per delivery, at the prices in force when each file was written.',
  ],
  recipient_opens: [
    'Recipients who opened the message at least once. A click counts as an open: a recipient who clicks without loading images (so the open pixel never loads) still opened it.',
    'Distinct messages with an open or a click (Adobe’s “Opens”). The rate is Opens (recipients) ÷ Sent.',
  ],
  estimated_opens: [
    'Opens (recipients) extrapolated to the recipients who got the text version, where opens cannot be measured.',
    'Opens (recipients) × To deliver ÷ (To deliver − text-only messages).',
  ],
  total_opens: [
    'Every time the message was opened, by anyone: one recipient opening it three times counts three. Opens of the same message less than the configured deduplication time apart count once. This is why Opens (all) can be lower or higher than Opens (recipients): clicks count as opens for recipients only.',
    'Open-pixel hits, deduplicated per message within tracking.openDedupSeconds.',
  ],
  recipient_clicks: ['Recipients who clicked at least one tracked link.', 'Distinct messages with a click. The rate is Clicks (recipients) ÷ Sent.'],
  person_clicks: [
    'People who clicked, counting a forwarded message’s readers too (a browser counts once).',
    'Distinct browsers that clicked (the tracking cookie, else address and browser). The rate is Clicks (persons) ÷ Sent.',
  ],
  total_clicks: ['Every click on a tracked link, repeated clicks included.', 'Click hits.'],
  reactivity: ['How many of the recipients who opened also clicked.', 'Clicks (recipients) ÷ Opens (recipients).'],
  forwards: ['People who clicked although they were not the recipient: the message was forwarded.', 'Clicks (persons) − Clicks (recipients), never below 0.'],
  opt_outs: [
    'Recipients who unsubscribed through this message: its unsubscribe link, the one-click unsubscribe of their mailbox, or an opt-out link.',
    'Opt-out hits of the message. The rate is Opt-outs ÷ Sent.',
  ],
  mirror_views: ['Times the message was read on its mirror page (“view it in your browser”).', 'Mirror page hits.'],
  opens: ['Opens over time, every open counted (as Opens (all)).', 'Open-pixel hits per hour (per day beyond four days).'],
  humanOpens: ['Opens over time without those of known robots (link scanners, mail security gateways).', 'Open hits not flagged as a robot.'],
  clicks: ['Clicks over time, every click counted (as Clicks (all)).', 'Click hits per hour (per day beyond four days).'],
  humanClicks: ['Clicks over time without those of known robots.', 'Click hits not flagged as a robot.'],
  'rate-delivered': ['Share of the messages sent that the receiving servers accepted.', 'Sent ÷ Processed, over the deliveries started in the period.'],
  'rate-bounce': ['Share of the messages sent that failed (refused at once or bounced later).', 'Failed ÷ Processed.'],
  'rate-open': ['Share of the delivered messages whose recipient opened them (a click counts as an open).', 'Opens (recipients) ÷ Sent.'],
  'rate-click': ['Share of the delivered messages whose recipient clicked a link.', 'Clicks (recipients) ÷ Sent.'],
  'rate-complaint': [
    'Share of the delivered messages whose recipient reported them as spam (feedback loops of mailbox providers). Keep it under 0.1 %.',
    'Addresses of the delivery put on the denylist by a complaint ÷ Sent.',
  ],
  'rate-unsubscribe': ['Share of the delivered messages whose recipient unsubscribed through them.', 'Opt-outs ÷ Sent.'],
  messages: [
    'A number of messages: on the throughput report, those the MTA tried to hand over in the hour; on the failures report, those that failed for the reason.',
    'Throughput: SMTP transactions attempted (the MTA’s counters per time slot). Failures: failed broad logs per reason.',
  ],
  connections: ['SMTP connections the MTA opened to the domain’s servers.', 'Connections per domain and time slot, counted by the MTA.'],
  soft_errors: [
    'Messages refused for now (a full mailbox, a server busy or greylisting): they are tried again until the delivery’s validity ends.',
    'SMTP 4xx answers and network errors per time slot.',
  ],
  hard_errors: ['Messages refused for good (an unknown address, a domain that does not exist).', 'SMTP 5xx answers per time slot.'],
  timeouts: ['Connections or transactions that got no answer in time.', 'Timeouts per domain and time slot.'],
  refused_connections: [
    'Connections the domain’s servers refused or closed before a message could be handed over.',
    'Refused connections per domain and time slot.',
  ],
  error_rate: [
    'Share of the attempts to a domain that failed, for now or for good. A high rate makes the MTA slow down for that domain.',
    '(Soft errors + Hard errors) ÷ Messages.',
  ],
  share: ['The row’s part of the table’s total.', 'Row ÷ total of the column × 100.'],
  subscribed: [
    'Subscriptions to the service that day (forms, API, console, imports).',
    'Subscription history events of action subscribe, per day of the report’s time zone.',
  ],
  confirmed: [
    'Double opt-in subscriptions confirmed through their link that day.',
    'Subscription history events of action confirm, per day of the report’s time zone.',
  ],
  unsubscribed: [
    'Recipients who left the service that day, by any way (link, one-click, complaint, console).',
    'Subscription history events of action unsubscribe, per day of the report’s time zone.',
  ],
  expired: [
    'Subscriptions that ended because the service’s validity ran out.',
    'Subscription history events of action expire, per day of the report’s time zone.',
  ],
  net: ['How the number of subscribers changed that day.', 'Subscribed − Unsubscribed − Expired.'],
  rate: ['A report’s rate column: the figure as a share of its base, given with each figure above.', 'Figure ÷ base × 100, one decimal; – when the base is 0.'],
} satisfies Record<string, [text: string, formula: string]>;

export const DEFINITION_MESSAGES = {
  'definitions.title': 'What the figures mean',
  'definitions.intro': 'Each figure of the reports and the home page, in plain words, with how Herald computes it (Adobe Campaign’s formulas).',
  'definitions.group.messages': 'Messages',
  'definitions.group.tracking': 'Opens and clicks',
  'definitions.group.rates': 'Rates',
  'definitions.group.operations': 'Sending and subscriptions',
  'definitions.how': 'How it is computed:',
  'definitions.link': 'What is this?',
  'definitions.link_named': 'What is “{name}”?',
  ...definitionTexts(DEFINITIONS),
};

/** Each definition's two texts under `definition.<id>.text` and `definition.<id>.formula`. */
export function definitionTexts<K extends string>(
  definitions: Record<K, [text: string, formula: string]>,
): Record<`definition.${K}.${'text' | 'formula'}`, string> {
  return Object.fromEntries(
    Object.entries<[string, string]>(definitions).flatMap(([id, [text, formula]]) => [
      [`definition.${id}.text`, text],
      [`definition.${id}.formula`, formula],
    ]),
  ) as Record<`definition.${K}.${'text' | 'formula'}`, string>;
}

/** The ids of the figures defined (a translation gives each its two texts). */
export type DefinitionId = keyof typeof DEFINITIONS;
