import { resolve } from 'node:path';
import { initSiteConfig } from '../../shared/config/init-site.js';
import { siteFilePath } from '../../shared/config/load.js';
import { renderConfig } from '../../shared/config/show.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { commandConfig } from '../context.js';

export const configCommands: Command[] = [
  {
    words: ['config', 'init'],
    usage: 'config init [--data-dir <dir>]',
    summary: 'write the site config with generated secrets (mode 600) unless it exists; never overwrites',
    options: { 'data-dir': { type: 'string' } },
    async run(input) {
      const file = input.siteFile ? resolve(input.siteFile) : siteFilePath();
      const result = initSiteConfig(file, { dataDir: input.flags['data-dir'] as string | undefined });
      input.out.write(result === 'created' ? `created ${file} with new secrets\n` : `kept existing ${file}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['config', 'check'],
    usage: 'config check',
    summary: 'validate the configuration (exit 0 when valid, 78 when not)',
    async run(input) {
      const { siteFile } = commandConfig(input);
      input.out.write(`config ok: ${siteFile}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['config', 'show'],
    usage: 'config show',
    summary: 'print the effective configuration, secrets masked',
    async run(input) {
      const { config, siteFile } = commandConfig(input);
      input.out.write(`# effective configuration: config/default.toml < ${siteFile} < environment < --set (secrets masked)\n`);
      input.out.write(renderConfig(config));
      return EXIT.OK;
    },
  },
];
