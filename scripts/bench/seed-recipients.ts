import type { Database } from '../../server/db/connect.js';

/** `count` recipients `user<i>@bench.test` (first name First<i>, HTML mail), bulk-inserted 1,000 rows a statement. */
export async function seedBenchRecipients(db: Database, count: number): Promise<void> {
  const now = new Date();
  const columns = Object.fromEntries(Object.values(db.models.Recipient.getAttributes()).map((a) => [a.field!, a]));
  for (let start = 0; start < count; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({
      email: `user${start + k}@bench.test`,
      first_name: `First${start + k}`,
      email_format: 'html',
      denylisted: false,
      denylisted_email: false,
      created_at: now,
      updated_at: now,
    }));
    await db.write((transaction) => db.sequelize.getQueryInterface().bulkInsert('recipients', rows, { transaction }, columns));
  }
}
