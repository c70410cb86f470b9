import type { ClickSlot, IndicatorRow, IndicatorValues, MessageCounts } from '../../db/repos/tracking-indicators.js';

/**
 * A delivery's tracking indicators from its tracking logs, with Adobe's formulas
 * (adobe-campaign.md §4), raw (every hit) and human (hits without a bot flag):
 *
 * - recipientOpens  distinct messages with any hit (a click implies an open); humanOpens the same, human hits only
 * - totalOpens      open hits, a message's repeated opens within openDedupSeconds counted once
 * - estimatedOpens  recipientOpens × toDeliver / (toDeliver − text-only messages)
 * - recipientClicks distinct messages with a click; humanClicks the same, human hits only
 * - personClicks    distinct browsers (person cookie, else address + user agent) that clicked
 * - totalClicks     click hits; estimatedForwards = personClicks − recipientClicks (≥ 0)
 * - rawReactivity   recipientClicks / recipientOpens; estimatedReactivity = recipientClicks / estimatedOpens
 * - clickThrough    personClicks / messages sent successfully
 * - optOuts, mirrorViews  opt-out and mirror-page hits; opt-outs include the unsubscribes made through a
 *                   message's own unsubscribe link (logged by the web module, once per message, no URL)
 * - slots           hits per URL per 5-minute slot, raw and human: link hits (click, opt-out, mirror)
 *                   and opens of the open pixel's URL (counted as totalOpens counts them), so reports
 *                   read opens and clicks over time from tracking_stats, never from the raw logs
 *
 * Pure: rows are added in (logged_at, id) order, the message counts are passed in.
 */
const SLOT_MS = 5 * 60 * 1000;

export class IndicatorAccumulator {
  private readonly dedupMs: number;
  private readonly opened = new Set<number>();
  private readonly humanOpened = new Set<number>();
  private readonly clicked = new Set<number>();
  private readonly humanClicked = new Set<number>();
  private readonly persons = new Set<string>();
  private readonly lastOpen = new Map<number, number>();
  private readonly slots = new Map<string, ClickSlot>();
  private readonly totals = { opens: 0, clicks: 0, optOuts: 0, mirrorViews: 0 };

  constructor(options: { openDedupSeconds: number }) {
    this.dedupMs = options.openDedupSeconds * 1000;
  }

  add(row: IndicatorRow): void {
    const human = row.bot === null;
    const message = row.broadLogId;
    // An unsubscribe through the web page or a one-click POST (an opt-out with no tracked URL) is no
    // proof of an open: mailbox providers post it from their own unsubscribe button.
    if (message !== null && !(row.urlType === 'opt_out' && row.urlId === null)) {
      this.opened.add(message);
      if (human) this.humanOpened.add(message);
    }
    if (row.urlType === 'open') {
      if (this.countOpen(message, row.loggedAt.getTime()) && row.urlId !== null) this.countSlot(row, human);
      return;
    }
    if (row.urlId !== null) this.countSlot(row, human);
    if (row.urlType === 'opt_out') this.totals.optOuts += 1;
    if (row.urlType === 'mirror') this.totals.mirrorViews += 1;
    if (row.urlType !== 'click') return;
    this.totals.clicks += 1;
    this.persons.add(row.sourceId ?? `m:${message}`);
    if (message === null) return;
    this.clicked.add(message);
    if (human) this.humanClicked.add(message);
  }

  finish(counts: MessageCounts): { indicators: IndicatorValues; slots: ClickSlot[] } {
    const recipientOpens = this.opened.size;
    const recipientClicks = this.clicked.size;
    const personClicks = this.persons.size;
    const readable = counts.toDeliver - counts.textMessages;
    const estimatedOpens = readable > 0 ? Math.round((recipientOpens * counts.toDeliver) / readable) : recipientOpens;
    const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
    const indicators: IndicatorValues = {
      recipientOpens,
      totalOpens: this.totals.opens,
      estimatedOpens,
      recipientClicks,
      personClicks,
      totalClicks: this.totals.clicks,
      estimatedForwards: Math.max(0, personClicks - recipientClicks),
      optOuts: this.totals.optOuts,
      mirrorViews: this.totals.mirrorViews,
      humanOpens: this.humanOpened.size,
      humanClicks: this.humanClicked.size,
      rawReactivity: ratio(recipientClicks, recipientOpens),
      estimatedReactivity: ratio(recipientClicks, estimatedOpens),
      clickThrough: ratio(personClicks, counts.success),
    };
    const slots = [...this.slots.values()].sort((a, b) => a.urlId - b.urlId || a.slotStart.getTime() - b.slotStart.getTime());
    return { indicators, slots };
  }

  /** An open counts unless the same message was counted as opened less than openDedupSeconds ago; returns whether it counted. */
  private countOpen(message: number | null, at: number): boolean {
    if (message !== null) {
      const last = this.lastOpen.get(message);
      if (last !== undefined && at - last < this.dedupMs) return false;
      this.lastOpen.set(message, at);
    }
    this.totals.opens += 1;
    return true;
  }

  private countSlot(row: IndicatorRow, human: boolean): void {
    const slotStart = Math.floor(row.loggedAt.getTime() / SLOT_MS) * SLOT_MS;
    const key = `${row.urlId}:${slotStart}`;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { urlId: row.urlId!, slotStart: new Date(slotStart), clicks: 0, humanClicks: 0 }));
    slot.clicks += 1;
    if (human) slot.humanClicks += 1;
  }
}
