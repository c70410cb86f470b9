import type { NamedRight } from '../../shared/glossary.js';
import type { Database } from '../connect.js';
import { Operator } from '../models/index.js';

export interface NewOperator {
  login: string;
  name?: string | null;
  email?: string | null;
  passwordHash: string;
  rights: NamedRight[];
  mustChangePassword?: boolean;
}

export async function createOperator(db: Database, input: NewOperator): Promise<Operator> {
  return db.write((transaction) =>
    Operator.create(
      { login: input.login, name: input.name ?? null, email: input.email ?? null, passwordHash: input.passwordHash, rights: input.rights, mustChangePassword: input.mustChangePassword ?? false },
      { transaction },
    ),
  );
}

export function findOperator(login: string): Promise<Operator | null> {
  return Operator.findOne({ where: { login } });
}

export function countOperators(): Promise<number> {
  return Operator.count();
}

export function listOperators(): Promise<Operator[]> {
  return Operator.findAll({ order: [['login', 'ASC']] });
}

/** Sets a new password hash; returns false when no operator has that login. */
export async function setOperatorPassword(db: Database, login: string, passwordHash: string, mustChange: boolean): Promise<boolean> {
  const [count] = await db.write((transaction) => Operator.update({ passwordHash, mustChangePassword: mustChange }, { where: { login }, transaction }));
  return count > 0;
}
