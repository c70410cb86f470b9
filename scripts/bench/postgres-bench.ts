import { join } from 'node:path';
import pg from 'pg';
import { startCluster, stopCluster } from '../postgres/cluster.js';

/**
 * A throw-away PostgreSQL for a benchmark: its own cluster (durable settings: fsync and synchronous
 * commit on, as in production) with pg_stat_statements, and an empty database `herald_bench` owned
 * by the herald role. usage() reads how many statements (one client round trip each) and
 * transactions that database has run so far.
 */
export interface BenchPostgres {
  url: string;
  usage(): Promise<{ statements: number; transactions: number }>;
  stop(): void;
}

export async function benchPostgres(parent: string): Promise<BenchPostgres> {
  const dir = join(parent, 'postgres');
  const cluster = await startCluster({ dir, statements: true });
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE herald_bench').finally(() => admin.end());
    const url = new URL(cluster.url);
    url.pathname = '/herald_bench';
    return {
      url: url.toString(),
      async usage() {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          const { rows } = await client.query<{ statements: string; transactions: string }>(
            `SELECT (SELECT COALESCE(sum(s.calls), 0) FROM pg_stat_statements s WHERE s.dbid = d.datid) AS statements,
                    d.xact_commit + d.xact_rollback AS transactions
               FROM pg_stat_database d WHERE d.datname = current_database()`,
          );
          return { statements: Number(rows[0]!.statements), transactions: Number(rows[0]!.transactions) };
        } finally {
          await client.end();
        }
      },
      stop: () => stopCluster(dir),
    };
  } catch (err) {
    stopCluster(dir);
    throw err;
  }
}
