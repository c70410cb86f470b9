import { isUniqueViolation } from '../../db/errors.js';
import { countOperators, createOperator, listOperators, setOperatorPassword } from '../../db/repos/operators.js';
import { HeraldError, UsageError } from '../../shared/errors.js';
import { EXIT } from '../../shared/exit-codes.js';
import { NAMED_RIGHTS, type NamedRight } from '../../shared/glossary.js';
import { LOGIN_PATTERN } from '../../shared/operator-rules.js';
import { generatePassword, hashPassword } from '../../shared/password.js';
import { passwordProblem } from '../../shared/password-rules.js';
import type { Command, CommandInput } from '../command.js';
import { withDatabase } from '../context.js';
import { readStdin } from '../read-stdin.js';

function parseRights(text: string): NamedRight[] {
  const rights = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = rights.filter((r) => !(NAMED_RIGHTS as readonly string[]).includes(r));
  if (unknown.length || rights.length === 0)
    throw new UsageError(`--rights takes a comma-separated list of: ${NAMED_RIGHTS.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  return [...new Set(rights)] as NamedRight[];
}

/** The password to set: from stdin (checked) or generated (shown once, to be changed at first login). */
async function choosePassword(input: CommandInput, login: string): Promise<{ password: string; generated: boolean }> {
  if (!input.flags['password-stdin']) return { password: generatePassword(), generated: true };
  const password = await readStdin(input.stdin);
  const problem = passwordProblem(password, { login });
  if (problem) throw new HeraldError('PASSWORD_WEAK', problem.message, { exitCode: EXIT.DATA });
  return { password, generated: false };
}

export const operatorCommands: Command[] = [
  {
    words: ['operator', 'add'],
    usage: 'operator add <login> --rights <r1,r2> [--name <name>] [--email <address>] [--password-stdin] [--first]',
    summary: `create an operator (--first: only if there is none yet); rights: ${NAMED_RIGHTS.join(', ')}`,
    args: [1, 1],
    options: {
      rights: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      first: { type: 'boolean' },
    },
    async run(input) {
      if (input.flags.first && (await withDatabase(input, (db) => countOperators(db))) > 0) {
        input.out.write('operators exist already: none added\n');
        return EXIT.OK;
      }
      const login = input.args[0]!.toLowerCase();
      if (!LOGIN_PATTERN.test(login)) throw new UsageError('a login is 1–64 characters: a-z, 0-9, ".", "_" or "-"');
      if (typeof input.flags.rights !== 'string') throw new UsageError('operator add needs --rights');
      const rights = parseRights(input.flags.rights);
      const { password, generated } = await choosePassword(input, login);
      const passwordHash = await hashPassword(password);
      await withDatabase(input, async (db) => {
        try {
          await createOperator(db, {
            login,
            name: input.flags.name as string | undefined,
            email: input.flags.email as string | undefined,
            passwordHash,
            rights,
            mustChangePassword: generated,
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw new HeraldError('OPERATOR_EXISTS', `operator "${login}" already exists`, { exitCode: EXIT.DATA });
          throw err;
        }
      });
      input.out.write(`operator "${login}" created with rights ${rights.join(', ')}\n`);
      if (generated) input.out.write(`one-time password (shown once; change it at first login): ${password}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['operator', 'passwd'],
    usage: 'operator passwd <login> [--password-stdin]',
    summary: 'reset an operator password (a generated one is shown once)',
    args: [1, 1],
    options: { 'password-stdin': { type: 'boolean' } },
    async run(input) {
      const login = input.args[0]!.toLowerCase();
      const { password, generated } = await choosePassword(input, login);
      const passwordHash = await hashPassword(password);
      const found = await withDatabase(input, (db) => setOperatorPassword(db, login, passwordHash, generated));
      if (!found) throw new HeraldError('OPERATOR_NOT_FOUND', `no operator "${login}"`, { exitCode: EXIT.DATA });
      input.out.write(`password of "${login}" changed\n`);
      if (generated) input.out.write(`one-time password (shown once; change it at first login): ${password}\n`);
      return EXIT.OK;
    },
  },
  {
    words: ['operator', 'list'],
    usage: 'operator list [--json]',
    summary: 'list operators and their rights',
    options: { json: { type: 'boolean' } },
    async run(input) {
      const operators = await withDatabase(input, (db) => listOperators(db));
      const rows = operators.map((o) => ({ login: o.login, name: o.name, email: o.email, rights: o.rights, disabled: o.disabled, lastLoginAt: o.lastLoginAt }));
      if (input.flags.json) {
        for (const row of rows) input.out.write(JSON.stringify(row) + '\n');
        return EXIT.OK;
      }
      const table = [
        ['LOGIN', 'NAME', 'RIGHTS', 'DISABLED', 'LAST LOGIN'],
        ...rows.map((r) => [r.login, r.name ?? '', r.rights.join(','), r.disabled ? 'yes' : 'no', r.lastLoginAt?.toISOString() ?? 'never']),
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
];
