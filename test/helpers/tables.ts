import { tables } from '../../server/db/migrations/001-initial.js';
import { tables as tables004 } from '../../server/db/migrations/004-tracking-ingest.js';
import { MIGRATIONS_TABLE } from '../../server/db/models/index.js';

/** Every table the migrations create, in creation order (drop in reverse). */
export const MIGRATION_TABLES: readonly string[] = [MIGRATIONS_TABLE, ...tables.map((t) => t.name), ...tables004.map((t) => t.name)];
