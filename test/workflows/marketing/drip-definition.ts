import type { Activity } from '../../../server/workflows/marketing/definition.js';

/** The drip series of the documentation: welcome new subscribers, remind those who did not open after 3 days. */
export const DRIP: Activity[] = [
  { id: 'hourly', type: 'scheduler', cron: '0 * * * *', next: 'newSubscribers' },
  { id: 'newSubscribers', type: 'query', where: { subscribed: 'newsletter' }, incremental: true, next: 'welcome' },
  { id: 'welcome', type: 'delivery', template: 'welcome', next: 'threeDays' },
  { id: 'threeDays', type: 'wait', duration: '3d', next: 'opened' },
  { id: 'opened', type: 'reaction', delivery: 'welcome', neither: 'reminder', opened: 'done' },
  { id: 'reminder', type: 'delivery', template: 'reminder', next: 'done' },
  { id: 'done', type: 'end' },
];
