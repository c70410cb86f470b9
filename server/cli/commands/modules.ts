import { runModule, type StartModule } from '../../shared/run-process.js';
import type { Command } from '../command.js';
import { targetSiteFile } from '../context.js';

/** Module processes, loaded only when run (a CLI command never pays for a module's imports). */
export const MODULES: Record<string, { summary: string; load: () => Promise<StartModule> }> = {
  web: { summary: 'console, public forms and REST API over HTTP', load: async () => (await import('../../web/main.js')).startWeb },
  wfserver: { summary: 'technical and marketing workflows on their schedules', load: async () => (await import('../../wfserver/main.js')).startWfserver },
  tracking: { summary: 'click redirects and open pixel; never opens the database', load: async () => (await import('../../tracking/main.js')).startTracking },
  stat: {
    summary: 'stat server: sending slots per sending IP and MX rule, shared by every MTA that registers with it',
    load: async () => (await import('../../stat/main.js')).startStat,
  },
  mta: {
    summary: 'sends the pending messages of running deliveries over SMTP (or to the capture spool)',
    load: async () => (await import('../../mta/main.js')).startMta,
  },
  inmail: {
    summary: 'SMTP server of the bounce domain: bounces, complaints, auto-replies',
    load: async () => (await import('../../inmail/main.js')).startInmail,
  },
  sms: {
    summary: 'sends the pending messages of running SMS deliveries over SMPP; receipts and replies',
    load: async () => (await import('../../sms/main.js')).startSms,
  },
  push: {
    summary: 'sends the pending messages of running push deliveries to the subscribed browsers (web push)',
    load: async () => (await import('../../push/main.js')).startPush,
  },
};

export const moduleCommands: Command[] = Object.entries(MODULES).map(([name, { summary, load }]) => ({
  words: [name],
  usage: name,
  summary: `run the ${name} module in the foreground: ${summary}`,
  async run(input) {
    const siteFile = targetSiteFile(input);
    if (siteFile) process.env.HERALD_CONFIG = siteFile;
    await runModule(name, await load(), { overrides: input.overrides });
    return 'running';
  },
}));
