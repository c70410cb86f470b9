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
 * - optOuts, mirrorViews  opt-out and mirror-page hits
 * - click slots     link hits (click, opt-out, mirror) per URL per 5-minute slot, raw and human
 *
 * Pure: rows are added in (logged_at, id) order, the message counts are passed in.
 */
export interface IndicatorAccumulator {
  add(row: IndicatorRow): void;
  finish(counts: MessageCounts): { indicators: IndicatorValues; slots: ClickSlot[] };
}

const SLOT_MS = 5 * 60 * 1000;

export function indicatorAccumulator(options: { openDedupSeconds: number }): IndicatorAccumulator {
  const dedupMs = options.openDedupSeconds * 1000;
  const opened = new Set<number>();
  const humanOpened = new Set<number>();
  const clicked = new Set<number>();
  const humanClicked = new Set<number>();
  const persons = new Set<string>();
  const lastOpen = new Map<number, number>();
  const slots = new Map<string, ClickSlot>();
  const totals = { opens: 0, clicks: 0, optOuts: 0, mirrorViews: 0 };

  const countSlot = (row: IndicatorRow, human: boolean) => {
    const slotStart = Math.floor(row.loggedAt.getTime() / SLOT_MS) * SLOT_MS;
    const key = `${row.urlId}:${slotStart}`;
    let slot = slots.get(key);
    if (!slot) slots.set(key, (slot = { urlId: row.urlId!, slotStart: new Date(slotStart), clicks: 0, humanClicks: 0 }));
    slot.clicks += 1;
    if (human) slot.humanClicks += 1;
  };

  const countOpen = (message: number | null, at: number) => {
    if (message === null) return void (totals.opens += 1);
    const last = lastOpen.get(message);
    if (last !== undefined && at - last < dedupMs) return;
    lastOpen.set(message, at);
    totals.opens += 1;
  };

  return {
    add(row) {
      const human = row.bot === null;
      const message = row.broadLogId;
      if (message !== null) {
        opened.add(message);
        if (human) humanOpened.add(message);
      }
      if (row.urlType === 'open') return countOpen(message, row.loggedAt.getTime());
      if (row.urlId !== null) countSlot(row, human);
      if (row.urlType === 'opt_out') totals.optOuts += 1;
      if (row.urlType === 'mirror') totals.mirrorViews += 1;
      if (row.urlType !== 'click') return;
      totals.clicks += 1;
      persons.add(row.sourceId ?? `m:${message}`);
      if (message === null) return;
      clicked.add(message);
      if (human) humanClicked.add(message);
    },
    finish(counts) {
      const recipientOpens = opened.size;
      const readable = counts.toDeliver - counts.textMessages;
      const estimatedOpens = readable > 0 ? Math.round((recipientOpens * counts.toDeliver) / readable) : recipientOpens;
      const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
      const indicators: IndicatorValues = {
        recipientOpens,
        totalOpens: totals.opens,
        estimatedOpens,
        recipientClicks: clicked.size,
        personClicks: persons.size,
        totalClicks: totals.clicks,
        estimatedForwards: Math.max(0, persons.size - clicked.size),
        optOuts: totals.optOuts,
        mirrorViews: totals.mirrorViews,
        humanOpens: humanOpened.size,
        humanClicks: humanClicked.size,
        rawReactivity: ratio(clicked.size, recipientOpens),
        estimatedReactivity: ratio(clicked.size, estimatedOpens),
        clickThrough: ratio(persons.size, counts.success),
      };
      const ordered = [...slots.values()].sort((a, b) => a.urlId - b.urlId || a.slotStart.getTime() - b.slotStart.getTime());
      return { indicators, slots: ordered };
    },
  };
}

