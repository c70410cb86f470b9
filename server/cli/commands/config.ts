import { resolve } from 'node:path';
import { initSiteConfig } from '../../shared/config/init-site.js';
import { siteFilePath } from '../../shared/config/load.js';
import { maskSecrets, renderConfig } from '../../shared/config/show.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { commandConfig, targetSiteFile } from '../context.js';

export const configCommands: Command[] = [
  {
    words: ['config', 'init'],
    usage: 'config init [--data-dir <dir>]',
    summary:
      'write the site config with generated secrets (mode 600), or add to an existing one the secrets it lacks; settings given as HERALD_* variables are written in; never replaces a secret',
    options: { 'data-dir': { type: 'string' } },
    async run(input) {
      const target = targetSiteFile(input);
      const file = target ? resolve(target) : siteFilePath();
      const result = initSiteConfig(file, { dataDir: input.flags['data-dir'] as string | undefined, env: process.env });
      if (result.action === 'kept') input.out.write(`kept ${file}: nothing to add\n`);
      else {
        const generated = result.changes.filter((c) => !c.from && c.key.startsWith('secrets.')).map((c) => c.key);
        input.out.write(
          result.action === 'created'
            ? `created ${file}\n`
            : `added to ${file}: ${generated.join(', ') || 'settings'}${generated.length ? ' (generated)' : ''}\n`,
        );
        if (result.action === 'created' && generated.length) input.out.write(`  ${generated.join(', ')} (generated)\n`);
        for (const c of result.changes.filter((c) => c.from || !c.key.startsWith('secrets.')))
          input.out.write(`  ${c.shown}${c.from ? ` (from ${c.from}${c.was === undefined ? '' : `; was ${JSON.stringify(c.was)}`})` : ''}\n`);
      }
      return EXIT.OK;
    },
  },
  {
    words: ['config', 'get'],
    usage: 'config get <key>',
    summary: 'print one key of the effective configuration (secrets masked), e.g. herald config get web.port',
    args: [1, 1],
    async run(input) {
      const { config } = commandConfig(input);
      const path = input.args[0]!;
      const value = path
        .split('.')
        .reduce<unknown>(
          (node, part) => (node && typeof node === 'object' && Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined),
          maskSecrets(config),
        );
      if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)))
        throw new UsageError(`no config key "${path}" (a key such as web.port; herald config show lists them)`);
      input.out.write(`${Array.isArray(value) ? value.join(',') : String(value)}\n`);
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
