import { createApiKey, listApiKeys, revokeApiKey } from '../../db/repos/api-keys.js';
import { findOperator } from '../../db/repos/operators.js';
import { generateApiKey, parseScopes, SCOPES } from '../../api/api-keys.js';
import { HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import type { Command } from '../command.js';
import { withDatabase, withLoggedDatabase } from '../context.js';

/** `herald apikey add|list|revoke`: REST API keys (the secret is shown once; only its hash is stored). */

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function parseExpiry(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) throw new UsageError('--expires takes a date, e.g. 2027-01-31');
  return d;
}

export const apikeyCommands: Command[] = [
  {
    words: ['apikey', 'add'],
    usage: 'apikey add <name> --scopes <s1,s2|all> [--expires <date>] [--operator <login>]',
    summary: `create a REST API key, shown once; scopes: ${SCOPES.join(', ')} (a :write scope includes :read)`,
    args: [1, 1],
    options: { scopes: { type: 'string' }, expires: { type: 'string' }, operator: { type: 'string' } },
    async run(input) {
      const name = input.args[0]!;
      if (!NAME.test(name)) throw new UsageError('a key name is 1–100 characters: letters, digits, ".", "_" or "-"');
      if (typeof input.flags.scopes !== 'string') throw new UsageError('apikey add needs --scopes (a comma-separated list, or "all")');
      let scopes;
      try {
        scopes = parseScopes(input.flags.scopes);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const expiresAt = parseExpiry(input.flags.expires);
      const { key, prefix, secretHash } = generateApiKey();
      await withLoggedDatabase(input, 'api', async (db, log) => {
        if ((await listApiKeys(db)).some((k) => k.name === name && !k.revokedAt))
          throw new HeraldError('API_KEY_EXISTS', `an active key is named "${name}"`, { exitCode: EXIT.DATA });
        const operator = typeof input.flags.operator === 'string' ? await findOperator(db, input.flags.operator.toLowerCase()) : null;
        if (input.flags.operator && !operator)
          throw new HeraldError('OPERATOR_NOT_FOUND', `no operator "${String(input.flags.operator)}"`, { exitCode: EXIT.DATA });
        await createApiKey(db, { name, prefix, secretHash, scopes, operatorId: operator?.id ?? null, expiresAt }, new Date());
        log.info('API_KEY_CREATED', { name, prefix, scopes });
      });
      input.out.write(`API key "${name}" created with scopes ${scopes.join(', ')}\n`);
      input.out.write(`key (shown once; store it now, only its hash is kept): ${key}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['apikey', 'list'],
    usage: 'apikey list [--json]',
    summary: 'list API keys (name, prefix, scopes, last use, state); never the secrets',
    options: { json: { type: 'boolean' } },
    async run(input) {
      const keys = await withDatabase(input, (db) => listApiKeys(db));
      const now = new Date();
      const rows = keys.map((k) => ({
        name: k.name,
        prefix: k.prefix,
        scopes: k.scopes,
        state: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active',
        lastUsedAt: k.lastUsedAt,
        expiresAt: k.expiresAt,
        createdAt: k.createdAt,
      }));
      if (input.flags.json) {
        for (const row of rows) input.out.write(JSON.stringify(row) + '\n');
        return EXIT.OK;
      }
      const table = [
        ['NAME', 'PREFIX', 'STATE', 'SCOPES', 'LAST USED'],
        ...rows.map((r) => [r.name, r.prefix, r.state, r.scopes.join(','), r.lastUsedAt?.toISOString() ?? 'never']),
      ];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table)
        input.out.write(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd() + '\n',
        );
      return EXIT.OK;
    },
  },
  {
    words: ['apikey', 'revoke'],
    usage: 'apikey revoke <name|prefix>',
    summary: 'revoke an API key (refused by the API within api.keyCacheSeconds)',
    args: [1, 1],
    async run(input) {
      const revoked = await withLoggedDatabase(input, 'api', async (db, log) => {
        const key = await revokeApiKey(db, input.args[0]!, new Date());
        if (key) log.info('API_KEY_REVOKED', { name: key.name, prefix: key.prefix });
        return key;
      });
      if (!revoked) throw new HeraldError('API_KEY_NOT_FOUND', `no active API key "${input.args[0]}"`, { exitCode: EXIT.DATA });
      input.out.write(`API key "${revoked.name}" (${revoked.prefix}) revoked\n`);
      return EXIT.OK;
    },
  },
];
